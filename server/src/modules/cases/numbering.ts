import { sql } from 'kysely';
import type { Tx } from '../../platform/tx.js';

/**
 * 统一发号: region code + date + a sequence per region and day, e.g. `410103-20261121-00042`. Unique,
 * readable over the phone, printed on every document. Call it outside the registering transaction: the
 * counter row is then locked for one statement only, and a registration that fails afterwards leaves a gap.
 */
export async function nextCaseNumber(trx: Tx, regionCode: string, day: string): Promise<string> {
  const row = await sql<{ last: number }>`
    INSERT INTO case_number_counters (region_code, day, last) VALUES (${regionCode}, ${day}, 1)
    ON CONFLICT (region_code, day) DO UPDATE SET last = case_number_counters.last + 1
    RETURNING last`.execute(trx);
  const seq = Number(row.rows[0]?.last ?? 1);
  return `${regionCode}-${day.replaceAll('-', '')}-${String(seq).padStart(5, '0')}`;
}
