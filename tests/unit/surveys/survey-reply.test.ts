import { describe, expect, it } from 'vitest';
import { SURVEY_DIGITS, readSolved, readSurveyReply } from '../../../src/modules/surveys/surveys.models';
import { surveyReopens } from '../../../src/modules/work-orders/work-orders.models';

describe('reading a survey reply in the resident’s own words', () => {
  it.each([
    ['修好了，挺满意', { solved: true, answer: 'satisfied' }],
    ['修好了但是太慢了不满意', { solved: true, answer: 'unsatisfied' }],
    ['还没修好', { solved: false, answer: null }],
    ['没解决', { solved: false, answer: null }],
    ['满意', { solved: null, answer: 'satisfied' }],
    ['好了谢谢', { solved: true, answer: 'satisfied' }],
    ['好的好的，谢谢你们，辛苦了👍', { solved: null, answer: 'satisfied' }],
    ['还是有味道，根本没人来看过', { solved: false, answer: 'unsatisfied' }],
    ['还行吧', { solved: null, answer: 'basically_satisfied' }],
    ['灯亮了，基本满意', { solved: true, answer: 'basically_satisfied' }],
    ['还没修好，谢谢', { solved: false, answer: null }],
    ['👎', { solved: null, answer: 'unsatisfied' }],
  ] as const)('%j → %j', (text, expected) => {
    expect(readSurveyReply(text)).toMatchObject(expected);
  });

  it('says nothing of text that is neither', () => {
    expect(readSurveyReply('明天下午有空吗')).toBeNull();
    expect(readSolved('3号楼')).toBeNull();
  });

  it('keeps the words only when something is wrong', () => {
    expect(readSurveyReply('修好了，挺满意')?.comment).toBeNull();
    expect(readSurveyReply('还没修好')?.comment).toBe('还没修好');
  });
});

describe('the digit menu and the reopen rule', () => {
  it('1–3 keep their old effect (1, 2 close; 3 reopens) and 4 is solved but not satisfied, which closes', () => {
    expect(Object.fromEntries(Object.entries(SURVEY_DIGITS).map(([d, r]) => [d, surveyReopens(r)]))).toEqual({ 1: false, 2: false, 3: true, 4: false });
    expect(SURVEY_DIGITS['4']).toEqual({ answer: 'unsatisfied', solved: true });
  });

  it('未解决 reopens whatever the satisfaction; 不满意 reopens only when not said to be solved', () => {
    expect(surveyReopens({ solved: false, answer: 'satisfied' })).toBe(true);
    expect(surveyReopens({ solved: false, answer: null })).toBe(true);
    expect(surveyReopens({ solved: true, answer: 'unsatisfied' })).toBe(false);
    expect(surveyReopens({ solved: null, answer: 'unsatisfied' })).toBe(true);
    expect(surveyReopens({ solved: null, answer: 'satisfied' })).toBe(false);
    expect(surveyReopens({ solved: true, answer: null })).toBe(false);
  });
});
