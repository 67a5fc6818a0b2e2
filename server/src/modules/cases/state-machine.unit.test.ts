import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CaseStatus, caseActions, caseStatuses, isTerminal, transition } from './state-machine.js';

describe('case state machine', () => {
  it('never reaches a status outside the table, and nothing leaves a terminal status', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...caseActions), { maxLength: 60 }), (sequence) => {
        let status: CaseStatus = 'draft';
        for (const action of sequence) {
          const next = transition(status, action);
          if (next === null) continue;
          expect(caseStatuses).toContain(next);
          expect(isTerminal(status)).toBe(false);
          status = next;
        }
      }),
    );
  });

  it('runs the ordinary online path to delivery', () => {
    const path = ['submit', 'preReviewPass', 'accept', 'pass', 'approve', 'issue', 'deliver'] as const;
    let status: CaseStatus = 'draft';
    for (const action of path) {
      const next = transition(status, action);
      expect(next, `${action} from ${status}`).not.toBeNull();
      status = next as CaseStatus;
    }
    expect(status).toBe('delivered');
  });

  it('cannot approve before acceptance, nor complete without issuing (no 假办结)', () => {
    expect(transition('registered', 'approve')).toBeNull();
    expect(transition('approved', 'deliver')).toBeNull();
    expect(transition('accepted', 'deliver')).toBeNull();
    expect(transition('approved', 'issue')).toBe('completed');
  });

  it('an extension keeps a suspended case suspended', () => {
    expect(transition('suspended', 'extend')).toBe('suspended');
    expect(transition('accepted', 'extend')).toBe('accepted');
  });
});
