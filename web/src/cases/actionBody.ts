import { beijingInputToInstant } from '../time/beijing';
import type { ActionBody } from './casesApi';
import type { ActionType, MediaView, Rating, Tier } from './caseTypes';

/** Everything any action form can hold; each action reads the fields it needs. */
export interface ActionFormValues {
  categoryKey?: string;
  /** Free text, or for `reject` one of the REJECT_REASONS. */
  reason?: string;
  note?: string;
  targetCaseId?: string;
  tier?: Tier;
  handlerUserId?: string;
  unitId?: string;
  unitIds?: string[];
  noPhotoReason?: string;
  /** The upload list of the feedback form; a finished upload carries the server's answer. */
  afterPhotos?: UploadedFile[];
  rating?: Rating;
  comment?: string;
  /** `datetime-local` values (local time, no zone), turned into instants when sent. */
  requestedDeadline?: string;
  deadline?: string;
}

export interface UploadedFile {
  status?: string;
  response?: unknown;
}

function isMediaList(value: unknown): value is MediaView[] {
  return (
    Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && 'id' in item)
  );
}

/** Ids of the photos whose upload finished; failed or unfinished ones are not sent. */
export function uploadedPhotoIds(files: UploadedFile[] | undefined): string[] {
  return (files ?? []).flatMap((file) =>
    file.status === 'done' && isMediaList(file.response) ? file.response.map((media) => media.id) : [],
  );
}

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** A `datetime-local` field: the user types Beijing time, whatever zone the browser is in. */
function instant(value: string | undefined): string | undefined {
  return value ? beijingInputToInstant(value) : undefined;
}

/** Drops the entries left empty: the server reads a missing optional field, not an empty one. */
function compact(body: Record<string, unknown>): ActionBody {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

function dispatchTarget(values: ActionFormValues): ActionBody {
  switch (values.tier) {
    case 1:
      return { tier: 1, handlerUserId: text(values.handlerUserId) };
    case 3:
      return { tier: 3, unitIds: values.unitIds ?? [] };
    default:
      return { tier: 2, unitId: values.unitId };
  }
}

/**
 * The JSON body of `POST /api/cases/{id}/actions/{action}` (the `CaseAction` shapes of the server's
 * state machine). `organisationId` is the acting user's unit, which reports in for itself.
 */
export function buildActionBody(
  action: ActionType,
  values: ActionFormValues,
  organisationId: string | null,
): ActionBody {
  switch (action) {
    case 'accept':
      return compact({ categoryKey: values.categoryKey });
    case 'reject':
      return compact({ reason: values.reason, note: text(values.note) });
    case 'merge':
      return compact({ targetCaseId: text(values.targetCaseId) });
    case 'dispatch':
      return compact(dispatchTarget(values));
    case 'redispatch':
      return compact({ ...dispatchTarget(values), note: text(values.note) });
    case 'sign':
    case 'handle_on_spot':
      return {};
    case 'report_in':
      return compact({ unitId: organisationId ?? undefined });
    case 'feedback': {
      const afterPhotoIds = uploadedPhotoIds(values.afterPhotos);
      // The reason for having no photo is only sent, and only needed, when there is none.
      return compact({
        note: text(values.note),
        afterPhotoIds,
        noPhotoReason: afterPhotoIds.length === 0 ? text(values.noPhotoReason) : undefined,
      });
    }
    case 'rate':
      return compact({ rating: values.rating, comment: text(values.comment), via: 'follow_up_call' });
    case 'extension_request':
      return compact({ requestedDeadline: instant(values.requestedDeadline), reason: text(values.reason) });
    case 'extension_approve':
      return compact({ deadline: instant(values.deadline), note: text(values.note) });
    case 'send_back':
    case 'verify_fail':
    case 'refuse_joint_action':
    case 'reopen':
    case 'extension_refuse':
    case 'suspend':
      return compact({ reason: text(values.reason) });
    case 'verify_pass':
    case 'accept_joint_action':
    case 'resume':
    case 'supervise':
      return compact({ note: text(values.note) });
  }
}

/** Server field names → the form field that shows them. */
export function formFieldFor(serverField: string): keyof ActionFormValues | null {
  const renamed: Record<string, keyof ActionFormValues> = {
    afterPhotoIds: 'afterPhotos',
  };
  if (serverField in renamed) return renamed[serverField] ?? null;
  const known: (keyof ActionFormValues)[] = [
    'categoryKey',
    'reason',
    'note',
    'targetCaseId',
    'tier',
    'handlerUserId',
    'unitId',
    'unitIds',
    'noPhotoReason',
    'afterPhotos',
    'rating',
    'comment',
    'requestedDeadline',
    'deadline',
  ];
  return (known as string[]).includes(serverField) ? (serverField as keyof ActionFormValues) : null;
}
