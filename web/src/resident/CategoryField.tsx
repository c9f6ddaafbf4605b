import { useEffect, useId, useState } from 'react';
import { ApiError, apiRequest, NETWORK_ERROR } from '../api/client';
import { searchCategories } from './api';
import { useI18n } from './i18n';
import type { CategoryOption, Classification } from './types';
import { useLoad } from './useLoad';

const SHOWN = 8;
const DEBOUNCE_MS = 250;
/** Classifying waits for a pause in typing a little longer than searching: a description is longer. */
const SUGGEST_DEBOUNCE_MS = 600;
/** The description must be a report's minimum length before it is worth classifying. */
const SUGGEST_MIN_LENGTH = 4;
/** Suggestions less likely than this are noise to a resident and are not shown. */
const SUGGEST_MIN_PROBABILITY = 0.15;

/** The categories the server's classifier proposes for a description (`POST /api/classify`). */
function classifyText(text: string, signal: AbortSignal): Promise<Classification> {
  return apiRequest<Classification>('/api/classify', { method: 'POST', body: { text, k: 3 }, signal });
}

/**
 * Suggestions for the description as the resident types it. Without a model the server answers 503;
 * the page then stops asking for the rest of the visit and the picker below is all there is.
 */
function useSuggestions(
  description: string,
  active: boolean,
): { key: string; name: string; probability: number }[] {
  const text = useDebounced(description.trim(), SUGGEST_DEBOUNCE_MS);
  const [unavailable, setUnavailable] = useState(false);
  const ask = active && !unavailable && text.length >= SUGGEST_MIN_LENGTH;
  const result = useLoad(ask ? (signal) => classifyText(text, signal) : null, [ask, text]);
  useEffect(() => {
    if (result.error instanceof ApiError && result.error.status === 503) setUnavailable(true);
  }, [result.error]);
  if (!ask || result.error || !result.data) return [];
  return result.data.suggestions
    .filter((s) => s.name !== null && s.probability >= SUGGEST_MIN_PROBABILITY)
    .map((s) => ({ key: s.label, name: s.name!, probability: s.probability }));
}

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
 * prefixes), so the page never downloads the whole catalogue; above it, the categories the classifier
 * proposes for the description typed so far. Choosing nothing is a fine answer: the dispatcher
 * classifies the report when filing it.
 */
export function CategoryField({
  selected,
  onChange,
  description = '',
}: {
  selected: { key: string; name: string } | null;
  onChange: (category: { key: string; name: string } | null) => void;
  /** The report's description so far, to propose categories from. */
  description?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), DEBOUNCE_MS);
  const results = useLoad(q ? (signal) => searchCategories(q, signal) : null, [q]);
  const offline = results.error instanceof ApiError && results.error.code === NETWORK_ERROR;
  const options: CategoryOption[] = (results.data ?? []).slice(0, SHOWN);
  const suggestions = useSuggestions(description, selected === null);

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
          {suggestions.length > 0 && (
            <div className="suggestions">
              <p className="hint">{t('report.suggestions')}</p>
              <ul className="options" aria-label={t('report.suggestions')}>
                {suggestions.map((s) => (
                  <li key={s.key}>
                    <button
                      type="button"
                      className="option"
                      aria-label={t('report.suggestionChoose', { name: s.name })}
                      onClick={() => onChange({ key: s.key, name: s.name })}
                    >
                      <span>{s.name}</span>
                      <span className="option-meta">
                        {t('report.suggestionLikelihood', { percent: Math.round(s.probability * 100) })}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
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
