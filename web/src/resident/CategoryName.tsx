import { fetchCategoryName } from './api';
import { useLoad } from './useLoad';

/** The category's name once known; its key until then, or if the lookup fails. */
export function CategoryName({ categoryKey }: { categoryKey: string }) {
  const name = useLoad(() => fetchCategoryName(categoryKey), [categoryKey]);
  return <>{name.data ?? categoryKey}</>;
}
