import { beijingInputToInstant, instantToBeijingInput } from '../time/beijing';
import type { MinutesBody, TaskBody } from './whistleTypes';

/** The meeting form: minutes, one decision per line, and a `datetime-local` meeting time. */
export interface MinutesFormValues {
  minutes?: string;
  decisions?: string;
  meetingAt?: string;
}

export interface TaskFormValues {
  organisationId?: string;
  description?: string;
  workingDays?: number | null;
  /** A `datetime-local` value (the browser's zone, no offset). */
  deadline?: string;
}

/** One decision per non-empty line, trimmed. */
export function decisionsFromText(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A `datetime-local` value, typed in Beijing time, as an ISO instant; undefined when empty. */
export function localToInstant(value: string | undefined): string | undefined {
  return value ? beijingInputToInstant(value) : undefined;
}

/** An ISO instant as a `datetime-local` value in Beijing time. */
export function toLocalInput(iso: string): string {
  return instantToBeijingInput(iso);
}

export function minutesBody(values: MinutesFormValues): MinutesBody {
  const meetingAt = localToInstant(values.meetingAt);
  return {
    minutes: values.minutes?.trim() ?? '',
    decisions: decisionsFromText(values.decisions),
    ...(meetingAt ? { meetingAt } : {}),
  };
}

/** Working days or a deadline, never both; with neither the server takes the case's deadline. */
export function taskBody(values: TaskFormValues): TaskBody {
  const deadline = localToInstant(values.deadline);
  return {
    organisationId: values.organisationId ?? '',
    description: values.description?.trim() ?? '',
    ...(typeof values.workingDays === 'number'
      ? { workingDays: values.workingDays }
      : deadline
        ? { deadline }
        : {}),
  };
}
