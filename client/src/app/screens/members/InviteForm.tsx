import { roleSchema, type Role, type User, type UserFields } from '@outpost/shared';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useUnsavedDraft } from '../../ui/drafts';
import { RoleOptions } from '../../ui/RoleOptions';
import { unavailableProps } from '../../ui/unavailable';
import { checkInvite, type InviteProblems } from './invite';

interface Props {
  users: readonly User[];
  /** Offline: the form stays filled in, and sending waits for the connection. */
  offline: boolean;
  /** The element saying why sending waits, while offline. */
  offlineReasonId: string;
  /** Sends the invitation; rejects with the reason to show. */
  onInvite(fields: UserFields): Promise<void>;
  onClose(): void;
}

/**
 * An admin adds someone by name and email, with the role they will have. The invitation is a
 * user row the server links to that person the first time they sign in with that email.
 * Escape backs out without sending.
 */
export function InviteForm({ users, offline, offlineReasonId, onInvite, onClose }: Props) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  // Nothing is kept until it is sent: a reload or a closed tab asks first.
  useUnsavedDraft('Invite someone', name);
  useUnsavedDraft('Invite someone', email);
  const [role, setRole] = useState<Role>('member');
  const [problems, setProblems] = useState<InviteProblems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const ids = { name: useId(), email: useId(), failure: useId() };

  useEffect(() => nameRef.current?.focus(), []);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (sending || offline) return;
    const checked = checkInvite({ name, email, role }, users);
    if ('problems' in checked) {
      setProblems(checked.problems);
      (checked.problems.name ? nameRef : emailRef).current?.focus();
      return;
    }
    setProblems({});
    setFailure(null);
    setSending(true);
    try {
      await onInvite(checked.fields);
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
      setSending(false);
    }
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    onClose();
  }

  return (
    <form
      className="panel stack invite-form"
      aria-label="Invite someone"
      onSubmit={(e) => void onSubmit(e)}
      onKeyDown={onKeyDown}
      noValidate
    >
      <div className="invite-fields">
        <label>
          Name
          <input
            ref={nameRef}
            value={name}
            autoComplete="off"
            onChange={(e) => {
              setName(e.target.value);
              setProblems(({ name: _, ...rest }) => rest);
            }}
            aria-invalid={problems.name ? true : undefined}
            aria-describedby={problems.name ? ids.name : undefined}
          />
          {problems.name && (
            <span id={ids.name} className="field-error">
              {problems.name}
            </span>
          )}
        </label>
        <label>
          Email
          <input
            ref={emailRef}
            type="email"
            inputMode="email"
            autoComplete="off"
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              setProblems(({ email: _, ...rest }) => rest);
            }}
            aria-invalid={problems.email ? true : undefined}
            aria-describedby={problems.email ? ids.email : undefined}
          />
          {problems.email && (
            <span id={ids.email} className="field-error">
              {problems.email}
            </span>
          )}
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(roleSchema.parse(e.target.value))}>
            <RoleOptions />
          </select>
        </label>
      </div>
      <p className="muted">
        They join when they first sign in with this email, with the role you pick here.
      </p>
      {failure && (
        <p id={ids.failure} role="alert" className="notice bad">
          {failure}
        </p>
      )}
      <div className="row">
        {/* Offline or sending, `aria-disabled` rather than `disabled`: focus stays on it as the
            connection goes or while the answer comes ("Inviting…" says why; submit does nothing). */}
        <button
          type="submit"
          className="primary"
          {...(sending ? { 'aria-disabled': true } : unavailableProps(offline, offlineReasonId))}
        >
          {sending ? 'Inviting…' : 'Send invitation'}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
