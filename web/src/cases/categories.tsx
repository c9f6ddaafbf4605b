import { Tooltip, TreeSelect, Typography } from 'antd';
import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTaxonomy } from './casesApi';
import type { TaxonomyEntry } from './caseTypes';

/** Looks a taxonomy key up in the active taxonomy (one cached request for the whole console). */
export function useCategoryLookup(): (key: string | null | undefined) => TaxonomyEntry | undefined {
  const taxonomy = useTaxonomy();
  const byKey = useMemo(
    () => new Map((taxonomy.data ?? []).map((entry) => [entry.key, entry])),
    [taxonomy.data],
  );
  return useCallback((key) => (key ? byKey.get(key) : undefined), [byKey]);
}

/** "小类（大类）" as words, for places that need a string (timeline lines, option labels). */
export function useCategoryText(): (key: string | null | undefined, fallbackName?: string | null) => string {
  const { t } = useTranslation();
  const lookup = useCategoryLookup();
  return useCallback(
    (key, fallbackName) => {
      if (!key) return t('cases.page.uncategorised');
      const entry = lookup(key);
      if (entry) return t('categories.withClass', { name: entry.name, majorClass: entry.majorClass });
      // A key the active version no longer has keeps the name the server sent, else the key itself.
      return fallbackName ?? key;
    },
    [lookup, t],
  );
}

/** A category by name with its major class; the code only in a tooltip, for those who know them. */
export function CategoryLabel({
  categoryKey,
  fallbackName,
}: {
  categoryKey: string | null | undefined;
  fallbackName?: string | null;
}) {
  const { t } = useTranslation();
  const lookup = useCategoryLookup();
  if (!categoryKey) return <>{t('cases.page.uncategorised')}</>;
  const entry = lookup(categoryKey);
  const name = entry?.name ?? fallbackName ?? categoryKey;
  return (
    <Tooltip title={t('categories.code', { code: categoryKey })}>
      <span data-category={categoryKey}>
        {name}
        {entry && (
          <Typography.Text type="secondary" style={{ fontSize: 'inherit' }}>
            {t('categories.inClass', { majorClass: entry.majorClass })}
          </Typography.Text>
        )}
      </span>
    </Tooltip>
  );
}

interface TreeNode {
  value: string;
  title: ReactNode;
  /** What the picker shows once chosen, and what search reads besides `search`. */
  label: string;
  search: string;
  selectable?: boolean;
  children?: TreeNode[];
}

const KIND_ORDER: Record<TaxonomyEntry['kind'], number> = { event: 0, component: 1 };

function leaf(entry: TaxonomyEntry, label: string, title: ReactNode = label): TreeNode {
  return {
    value: entry.key,
    title,
    label,
    search: [entry.name, entry.majorClass, entry.code, entry.key, ...(entry.keywords ?? [])]
      .join(' ')
      .toLowerCase(),
  };
}

/**
 * The taxonomy as a tree to pick from: 管理事项 and 管理部件, each by major class, each class's
 * categories by code. A suggested category goes first, on its own, marked as the suggestion.
 */
export function categoryTree(
  entries: readonly TaxonomyEntry[],
  words: {
    kind: (kind: TaxonomyEntry['kind']) => string;
    label: (entry: TaxonomyEntry) => string;
    suggested: (label: string) => string;
  },
  suggestedKey?: string | null,
): TreeNode[] {
  const suggested = suggestedKey ? entries.find((entry) => entry.key === suggestedKey) : undefined;
  const kinds = new Map<TaxonomyEntry['kind'], Map<string, TaxonomyEntry[]>>();
  for (const entry of [...entries].sort((a, b) => a.code.localeCompare(b.code))) {
    if (entry === suggested) continue;
    const classes = kinds.get(entry.kind) ?? new Map<string, TaxonomyEntry[]>();
    kinds.set(entry.kind, classes);
    classes.set(entry.majorClass, [...(classes.get(entry.majorClass) ?? []), entry]);
  }
  const tree: TreeNode[] = [...kinds.entries()]
    .sort(([a], [b]) => KIND_ORDER[a] - KIND_ORDER[b])
    .map(([kind, classes]) => ({
      value: `kind:${kind}`,
      title: words.kind(kind),
      label: words.kind(kind),
      search: words.kind(kind).toLowerCase(),
      selectable: false,
      children: [...classes.entries()].map(([majorClass, members]) => ({
        value: `class:${kind}:${majorClass}`,
        title: majorClass,
        label: majorClass,
        search: majorClass.toLowerCase(),
        selectable: false,
        children: members.map((entry) => leaf(entry, words.label(entry), entry.name)),
      })),
    }));
  if (suggested) {
    const label = words.label(suggested);
    tree.unshift(leaf(suggested, label, words.suggested(label)));
  }
  return tree;
}

/** Whether a tree node matches what the user typed: name, class, code or any keyword. */
export function matchesCategory(input: string, node: object): boolean {
  const q = input.trim().toLowerCase();
  const search = 'search' in node && typeof node.search === 'string' ? node.search : '';
  return q === '' || search.includes(q);
}

export interface CategoryPickerProps {
  value?: string | null;
  onChange?: (value: string | undefined) => void;
  /** The classifier's proposal: listed first and marked. */
  suggestedKey?: string | null;
  placeholder?: string;
  allowClear?: boolean;
  id?: string;
  'aria-label'?: string;
  style?: React.CSSProperties;
}

/** Pick a category from the taxonomy tree, searching names, classes, codes and keywords. */
export function CategoryPicker({
  value,
  onChange,
  suggestedKey,
  placeholder,
  allowClear,
  id,
  style,
  ...rest
}: CategoryPickerProps) {
  const { t } = useTranslation();
  const taxonomy = useTaxonomy();
  const treeData = useMemo(
    () =>
      categoryTree(
        taxonomy.data ?? [],
        {
          kind: (kind) => t(`categories.kind.${kind}`),
          label: (entry) => t('categories.withClass', { name: entry.name, majorClass: entry.majorClass }),
          suggested: (label) => t('categories.suggested', { label }),
        },
        suggestedKey,
      ),
    [taxonomy.data, suggestedKey, t],
  );
  // While searching, every group is open so that matches deep in the tree show; otherwise the user's choice.
  const [search, setSearch] = useState('');
  const [expanded, setExpanded] = useState<(string | number)[]>([]);
  const groups = useMemo(
    () =>
      treeData.flatMap((kind) => (kind.children ? [kind.value, ...kind.children.map((c) => c.value)] : [])),
    [treeData],
  );
  return (
    <TreeSelect
      id={id}
      aria-label={rest['aria-label']}
      value={value ?? undefined}
      onChange={(next: string | undefined) => {
        setSearch('');
        onChange?.(next);
      }}
      treeData={treeData}
      treeNodeLabelProp="label"
      showSearch
      filterTreeNode={matchesCategory}
      searchValue={search}
      onSearch={setSearch}
      treeExpandedKeys={search.trim() ? groups : expanded}
      onTreeExpand={(keys) => setExpanded(keys.map((k) => (typeof k === 'bigint' ? String(k) : k)))}
      allowClear={allowClear}
      loading={taxonomy.isPending}
      placeholder={placeholder ?? t('categories.placeholder')}
      style={{ width: '100%', ...style }}
      popupMatchSelectWidth={false}
      listHeight={360}
      data-testid="category-picker"
    />
  );
}
