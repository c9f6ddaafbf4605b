import { type ChangeEvent, useEffect, useId, useState } from 'react';
import { type DraftPhoto, MAX_PHOTOS } from './draft';
import { useI18n } from './i18n';

// The server's limit per photo; a larger file would only be refused after a long upload.
const MAX_PHOTO_BYTES = 15 * 1024 * 1024;

function Thumbnail({ photo, index, onRemove }: { photo: DraftPhoto; index: number; onRemove: () => void }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(photo.blob);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [photo.blob]);
  return (
    <li className="thumb">
      {url && <img src={url} alt={t('report.photoAlt', { index })} />}
      <button
        type="button"
        className="thumb-remove"
        onClick={onRemove}
        aria-label={t('report.removePhoto', { index })}
      >
        ×
      </button>
    </li>
  );
}

export function PhotoPicker({
  photos,
  onChange,
  legend,
}: {
  photos: DraftPhoto[];
  onChange: (photos: DraftPhoto[]) => void;
  /** The fieldset's title when it is not the report's photos (a patrol's after-photos, say). */
  legend?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const [warnings, setWarnings] = useState<string[]>([]);

  const add = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    // Cleared so that picking the same photo again after removing it fires `change` again.
    event.target.value = '';
    const notes: string[] = [];
    const fitting = files.filter((file) => {
      if (file.size <= MAX_PHOTO_BYTES) return true;
      notes.push(t('report.photoTooLarge', { name: file.name }));
      return false;
    });
    const room = MAX_PHOTOS - photos.length;
    if (fitting.length > room) notes.push(t('report.tooManyPhotos'));
    const added = fitting
      .slice(0, Math.max(0, room))
      .map((file) => ({ name: file.name || 'photo.jpg', type: file.type, blob: file }));
    setWarnings(notes);
    if (added.length > 0) onChange([...photos, ...added]);
  };

  return (
    <fieldset className="section">
      <legend>{legend ?? t('report.photos')}</legend>
      {photos.length > 0 && (
        <ul className="thumbs">
          {photos.map((photo, index) => (
            <Thumbnail
              // biome-ignore lint/suspicious/noArrayIndexKey: photos have no identity of their own; order is stable.
              key={index}
              photo={photo}
              index={index + 1}
              onRemove={() => onChange(photos.filter((_, other) => other !== index))}
            />
          ))}
        </ul>
      )}
      {photos.length < MAX_PHOTOS && (
        <>
          {/* The input stays focusable but unseen; the label after it is what people see and tap. */}
          <input
            id={id}
            className="visually-hidden-input"
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            onChange={add}
          />
          <label htmlFor={id} className="button button-secondary file-button">
            {t('report.addPhotos')}
          </label>
        </>
      )}
      <p className="hint">{t('report.photoCount', { count: photos.length })}</p>
      {warnings.map((warning) => (
        <p key={warning} className="field-error" role="alert">
          {warning}
        </p>
      ))}
    </fieldset>
  );
}
