// The InventoryError a call throws (so a test can assert its kind and message); any other outcome fails.
import { InventoryError } from '../../src/inventory/errors.js';

export function inventoryErrorOf(run: () => unknown): InventoryError {
  try {
    run();
  } catch (err) {
    if (err instanceof InventoryError) return err;
    throw err;
  }
  throw new Error('no InventoryError was thrown');
}

export async function inventoryErrorOfAsync(run: () => Promise<unknown>): Promise<InventoryError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof InventoryError) return err;
    throw err;
  }
  throw new Error('no InventoryError was thrown');
}
