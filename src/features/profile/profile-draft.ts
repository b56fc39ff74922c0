/**
 * The profile's unsaved edits, kept in sessionStorage like the booking's choices: leaving the form
 * (a tap on Book, the header's "Needs attention") and coming back lost everything typed since the
 * last save, with nothing saying so. Only the fields the user typed in are kept, with the id of the
 * profile they were typed over; this tab alone sees them, a save or a sign-out clears them.
 */
import { PROFILE_FIELDS, type ProfileField, type ProfileFormValues } from '../../data/profile-form-values.ts';

export const PROFILE_DRAFT_KEY = 'consult.profileDraft';

type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
export type ProfileEdits = Partial<Record<ProfileField, string>>;

const isField = (key: string): key is ProfileField => (PROFILE_FIELDS as readonly string[]).includes(key);

/** The edits kept for this profile (`null`: the first one, not saved yet); none for another. */
export function loadProfileDraft(storage: DraftStorage | undefined, patientId: string | null): ProfileEdits {
  try {
    const raw: unknown = JSON.parse(storage?.getItem(PROFILE_DRAFT_KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return {};
    const { patientId: owner, edits } = raw as { patientId?: unknown; edits?: unknown };
    if (owner !== patientId || typeof edits !== 'object' || edits === null) return {};
    const kept: ProfileEdits = {};
    for (const [field, value] of Object.entries(edits))
      if (isField(field) && typeof value === 'string') kept[field] = value;
    return kept;
  } catch {
    // Not JSON, or storage blocked: no draft.
    return {};
  }
}

/** Keeps the touched fields' values; none touched (or saved) removes the draft. */
export function saveProfileDraft(
  storage: DraftStorage | undefined,
  patientId: string | null,
  values: ProfileFormValues | null,
  touched: ReadonlySet<ProfileField>,
): void {
  try {
    if (values === null || touched.size === 0) storage?.removeItem(PROFILE_DRAFT_KEY);
    else {
      const edits = Object.fromEntries([...touched].map((field) => [field, values[field]]));
      storage?.setItem(PROFILE_DRAFT_KEY, JSON.stringify({ patientId, edits }));
    }
  } catch {
    // A full or blocked sessionStorage only loses the draft; the form still works.
  }
}
