import { useEffect } from 'react';

export const APP_NAME = 'Northwind Bank';

/** "Payments · Northwind Bank": the tab, history and screen readers name the page. */
export function useDocumentTitle(title: string | undefined): void {
  useEffect(() => {
    if (title) document.title = `${title} · ${APP_NAME}`;
  }, [title]);
}
