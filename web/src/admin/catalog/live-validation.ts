import type { FormInstance } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { catalogApi, type EntryData, type ListKind } from '../../api/catalog';
import type { FieldError } from '../../api/client';
import { toNamePath } from '../../components/api-errors';

type NamePath = (string | number)[];

const DEBOUNCE_MS = 400;

/**
 * The field of the form a server path belongs to: the path itself when the form has that field, else its
 * nearest ancestor (`conditions.2` → the conditions text box), else null.
 */
function targetOf(registered: Set<string>, path: string): NamePath | null {
  let parts = toNamePath(path);
  while (parts.length > 0) {
    if (registered.has(JSON.stringify(parts))) return parts;
    parts = parts.slice(0, -1);
  }
  return null;
}

/**
 * Live validation of a catalog entry while it is edited: a debounced call of the list's `validate` endpoint
 * after every change, with each problem shown under its field — nested ones too (`materials.2.copies` under
 * that cell of the materials table). Problems of a whole list (`steps`: a licensing item lacks 送达) are
 * returned for the editor to show above that list; the rest that name no field of the form, in `unmatched`.
 *
 * A new entry starts empty: until the first save attempt, only the fields the user has touched are marked.
 */
export function useLiveValidation<V>({
  kind,
  form,
  build,
  listFields = [],
  showAllInitially,
}: {
  kind: ListKind;
  form: FormInstance<V>;
  /** The request body from the form as it is now. */
  build: () => EntryData;
  /** Fields rendered as lists (Form.List) whose own problems the editor shows itself. */
  listFields?: string[];
  showAllInitially: boolean;
}) {
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [validating, setValidating] = useState(false);
  const [showAll, setShowAll] = useState(showAllInitially);
  const marked = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const sequence = useRef(0);
  const buildRef = useRef(build);
  buildRef.current = build;

  /** Puts problems under their fields and clears the fields that no longer have any. */
  const apply = useCallback(
    (fields: FieldError[], all: boolean) => {
      const registered = new Set(form.getFieldsError().map((entry) => JSON.stringify(entry.name)));
      const byTarget = new Map<string, string[]>();
      const unmatched: FieldError[] = [];
      for (const problem of fields) {
        if (listFields.includes(problem.field)) continue;
        const target = targetOf(registered, problem.field);
        if (!target) {
          unmatched.push(problem);
          continue;
        }
        if (!all && !(form as FormInstance).isFieldTouched(target)) continue;
        const key = JSON.stringify(target);
        byTarget.set(key, [...(byTarget.get(key) ?? []), problem.message]);
      }
      const updates: { name: NamePath; errors: string[] }[] = [];
      for (const key of marked.current) {
        if (!byTarget.has(key) && registered.has(key)) updates.push({ name: JSON.parse(key), errors: [] });
      }
      for (const [key, errors] of byTarget)
        updates.push({ name: JSON.parse(key), errors: [...new Set(errors)] });
      marked.current = new Set(byTarget.keys());
      if (updates.length > 0) (form as FormInstance).setFields(updates);
      return unmatched;
    },
    [form, listFields],
  );

  const [unmatched, setUnmatched] = useState<FieldError[]>([]);

  const run = useCallback(
    async (all: boolean): Promise<FieldError[]> => {
      const mine = ++sequence.current;
      setValidating(true);
      try {
        const result = await catalogApi.validate(kind, buildRef.current());
        if (mine !== sequence.current) return result.fields;
        setProblems(result.fields);
        setUnmatched(apply(result.fields, all));
        return result.fields;
      } finally {
        if (mine === sequence.current) setValidating(false);
      }
    },
    [kind, apply],
  );

  const showAllRef = useRef(showAll);
  showAllRef.current = showAll;

  /** Call on every change of the form's values. */
  const onChange = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      run(showAllRef.current).catch(() => undefined);
    }, DEBOUNCE_MS);
  }, [run]);

  useEffect(() => () => clearTimeout(timer.current), []);

  /** Validates at once and marks every problem (before a save). */
  const validateNow = useCallback(async () => {
    clearTimeout(timer.current);
    setShowAll(true);
    return run(true);
  }, [run]);

  /** Problems the server gave when saving: shown like the live ones. */
  const showServerProblems = useCallback(
    (fields: FieldError[]) => {
      setShowAll(true);
      setProblems(fields);
      setUnmatched(apply(fields, true));
    },
    [apply],
  );

  return {
    problems,
    unmatched,
    validating,
    onChange,
    validateNow,
    showServerProblems,
    /** Problems of one list field (e.g. `steps`), for the editor to show above that list. */
    listErrors: (field: string) =>
      showAll ? problems.filter((p) => p.field === field).map((p) => p.message) : [],
  };
}
