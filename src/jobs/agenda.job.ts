/**
 * 民情沟通日 agendas (JOB_AGENDA_CRON, the 10th and 20th at 08:00 by default): on the town-level day every town,
 * on the district-level day every district, gets its agenda of open orders that sit at it, were reopened or are
 * overdue below it; stored in `reports` for the console and sent to that unit's officers.
 *
 * Claim: the run key 'agenda:<level>:<month>' in job_runs, in the same transaction as the reports and messages.
 */
import { jobTexts } from '../i18n/zh-CN.jobs';
import { reportLink } from '../modules/reports/reports.models';
import { buildAgendas } from './agenda.models';
import type { JobDeps, PeriodicResult } from './job-deps';
import { claimRunKey, finishRunKey, staffWithRole, unitsAtLevel } from './jobs.repository';
import { agendaPeriod } from './periods.models';
import { storeAndSend } from './report-writer';
import { agendaCandidates } from './reports.repository';

export async function run(deps: JobDeps & { tick?: Date }): Promise<PeriodicResult> {
  const now = deps.clock.now();
  const period = agendaPeriod({ tick: deps.tick ?? now });
  return deps.db.transaction(async (tx) => {
    if (!(await claimRunKey(tx, { key: period.key, now, instance: deps.instance }))) return { key: period.key, ran: false, sent: 0 };
    const agendas = buildAgendas({
      orders: await agendaCandidates(tx, { level: period.level, now }),
      units: await unitsAtLevel(tx, period.level),
      level: period.level,
      now,
    });
    let sent = 0;
    for (const agenda of agendas) {
      const title = jobTexts.agendaTitle({ unitName: agenda.unitName, level: period.level, month: period.month });
      const kind = period.level === 'town' ? 'agenda_town' : 'agenda_district';
      const link = reportLink({ publicUrl: deps.publicUrl, kind, periodKey: period.month });
      sent += await storeAndSend(tx, {
        kind,
        runKey: period.key,
        periodKey: period.month,
        unitId: agenda.unitId,
        title,
        body: jobTexts.agendaBody({ ...agenda, title, link }),
        data: agenda,
        now,
        recipients: await staffWithRole(tx, { unitIds: [agenda.unitId], roles: ['officer'] }),
        botAccount: deps.botAccount,
      });
    }
    await finishRunKey(tx, { key: period.key, now });
    return { key: period.key, ran: true, sent };
  });
}
