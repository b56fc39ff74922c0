import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FailureNotice } from './failure-notice.tsx';

describe('FailureNotice', () => {
  it('shows nothing without a failure', () => {
    expect(renderToStaticMarkup(<FailureNotice error={null} />)).toBe('');
  });

  it('puts the described failure in an alert region', () => {
    const html = renderToStaticMarkup(
      <FailureNotice error="disk full" describe={(message) => `Could not book: ${message}`} />,
    );
    expect(html).toContain('role="alert"');
    expect(html).toContain('Could not book: disk full');
  });
});
