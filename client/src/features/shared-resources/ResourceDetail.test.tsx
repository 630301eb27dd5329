// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResourceDetail } from './ResourceDetail';
import { testRoot } from '../../app/testing/test-root';

const dom = testRoot();
beforeEach(() => vi.stubGlobal('navigator', { ...navigator, language: 'en-US' }));
afterEach(() => vi.unstubAllGlobals());

/** Each field's label and value, as shown. */
function fields(): Record<string, string> {
  const dts = [...dom.host.querySelectorAll('dt')].map((d) => d.textContent ?? '');
  const dds = [...dom.host.querySelectorAll('dd')].map((d) => d.textContent ?? '');
  return Object.fromEntries(dts.map((t, i) => [t, dds[i]!]));
}

describe('a shared resource’s fields', () => {
  it('shows numbers whole: fractions keep their digits, sizes read as sizes, dates as the app writes them', () => {
    const createdAt = new Date(2026, 11, 3, 21, 5).toISOString();
    act(() =>
      dom.root.render(
        <ResourceDetail
          resource={{
            id: '64f0c0ffee',
            name: 'Harbour depot',
            createdAt,
            data: {
              lat: 48.12345,
              lng: -119.5,
              rows: 250_000,
              sizeBytes: 45_000_000,
              rating: 4,
              url: 'https://x.example.com/a',
            },
          }}
          onClose={() => {}}
        />,
      ),
    );
    expect(fields()).toMatchObject({
      Created: 'Dec 3, 2026, 9:05 PM',
      Lat: '48.12345',
      Lng: '-119.5',
      Rows: '250,000',
      Size: '42.9 MB',
      Rating: '4',
      URL: 'https://x.example.com/a',
    });
  });
});
