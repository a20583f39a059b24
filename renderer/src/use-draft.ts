import { useState } from 'react';

/**
 * A text field's draft over a saved value: shows the saved value until the
 * user types, commits on blur, then follows the saved value again (so changes
 * made elsewhere, like the folder chooser, show at once).
 */
export function useDraft(saved: string, commit: (value: string) => void) {
  const [draft, setDraft] = useState<string | null>(null);
  return {
    value: draft ?? saved,
    onChange: (event: { target: { value: string } }) => setDraft(event.target.value),
    onBlur: () => {
      if (draft !== null && draft !== saved) commit(draft);
      setDraft(null);
    },
  };
}
