import { describe, expect, it, vi } from 'vitest';
import { readDeviceStorage } from './device-storage';

describe('readDeviceStorage', () => {
  it('asks for persistent storage only when told to, and reads the estimate', async () => {
    const storage = {
      persist: vi.fn(() => Promise.resolve(true)),
      persisted: vi.fn(() => Promise.resolve(false)),
      estimate: () => Promise.resolve({ usage: 10, quota: 100 }),
    };
    await expect(readDeviceStorage(false, storage)).resolves.toEqual({
      persisted: false,
      usage: 10,
      quota: 100,
    });
    expect(storage.persist).not.toHaveBeenCalled();
    await expect(readDeviceStorage(true, storage)).resolves.toEqual({
      persisted: true,
      usage: 10,
      quota: 100,
    });
    expect(storage.persist).toHaveBeenCalledTimes(1);
  });

  it('is null without the API or when it fails; missing parts read as unknown', async () => {
    await expect(readDeviceStorage(true, null)).resolves.toBeNull();
    await expect(
      readDeviceStorage(false, { persisted: () => Promise.reject(new Error('denied')) }),
    ).resolves.toBeNull();
    await expect(readDeviceStorage(true, {})).resolves.toEqual({
      persisted: false,
      usage: null,
      quota: null,
    });
  });
});
