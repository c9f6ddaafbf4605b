import { useEffect, useId, useState } from 'react';
import { ApiError, NETWORK_ERROR } from '../api/client';
import { searchCategories } from './api';
import { useI18n } from './i18n';
import type { CategoryOption } from './types';
import { useLoad } from './useLoad';

const SHOWN = 8;
const DEBOUNCE_MS = 250;

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * Search-as-you-type over the taxonomy, answered by the server (`q` matches names, keywords and code
 * prefixes), so the page never downloads the whole catalogue. Choosing nothing is a fine answer: the
 * dispatcher classifies the report when filing it.
 */
export function CategoryField({
  selected,
  onChange,
}: {
  selected: { key: string; name: string } | null;
  onChange: (category: { key: string; name: string } | null) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), DEBOUNCE_MS);
  const results = useLoad(q ? (signal) => searchCategories(q, signal) : null, [q]);
  const offline = results.error instanceof ApiError && results.error.code === NETWORK_ERROR;
  const options: CategoryOption[] = (results.data ?? []).slice(0, SHOWN);

  return (
    <fieldset className="section">
      <legend>{t('report.category')}</legend>
      {selected ? (
        <div className="chosen">
          <span>{t('report.categorySelected', { name: selected.name })}</span>
          <button type="button" className="button-link" onClick={() => onChange(null)}>
            {t('report.categoryClear')}
          </button>
        </div>
      ) : (
        <>
          <label htmlFor={id}>{t('report.categorySearch')}</label>
          <input
            id={id}
            type="search"
            value={text}
            placeholder={t('report.categoryPlaceholder')}
            onChange={(event) => setText(event.target.value)}
            autoComplete="off"
            enterKeyHint="search"
          />
          {offline && <p className="hint">{t('report.categoryOffline')}</p>}
          {q && !results.loading && !results.error && options.length === 0 && (
            <p className="hint">{t('report.noMatches')}</p>
          )}
          {options.length > 0 && (
            <ul className="options" aria-label={t('report.categorySearch')}>
              {options.map((option) => (
                <li key={option.key}>
                  <button
                    type="button"
                    className="option"
                    onClick={() => {
                      onChange({ key: option.key, name: option.name });
                      setText('');
                    }}
                  >
                    <span>{option.name}</span>
                    <span className="option-meta">{option.majorClass}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </fieldset>
  );
}
