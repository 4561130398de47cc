import { buildWorkCalendar, type WorkCalendar } from '../../../src/modules/calendar/calendar.models';
import { calendarDaysFromChineseDays } from '../../../src/modules/calendar/calendar.seed';

/** An instant given in China time, e.g. china('2025-09-30 10:00'). */
export function china(dateTime: string): Date {
  const [date, time = '00:00'] = dateTime.split(' ');
  const withSeconds = time.length === 5 ? `${time}:00` : time;
  return new Date(`${date}T${withSeconds}+08:00`);
}

/** The real 2025–2026 schedule, as the product seeds it. */
export function seededCalendar(): WorkCalendar {
  return buildWorkCalendar(calendarDaysFromChineseDays({ fromYear: 2025, toYear: 2026 }));
}
