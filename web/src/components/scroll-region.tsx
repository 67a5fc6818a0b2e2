import { type ReactNode, useEffect, useRef } from 'react';

/**
 * Wraps a wide antd table whose body scrolls sideways, and makes that scrolling part reachable by keyboard
 * (a focusable, named region), as WCAG asks of scrollable content: antd renders it without a tab stop.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  // After every render: the table may have been re-created with new rows.
  useEffect(() => {
    for (const element of ref.current?.querySelectorAll<HTMLElement>('.ant-table-content, .ant-table-body') ??
      []) {
      if (element.getAttribute('tabindex') === '0') continue;
      element.tabIndex = 0;
      element.setAttribute('role', 'region');
      element.setAttribute('aria-label', label);
    }
  });
  return <div ref={ref}>{children}</div>;
}
