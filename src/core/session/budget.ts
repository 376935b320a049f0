/** The session's memory budget (src/core/budget.ts) and its refusals as SessionErrors. */
import { BudgetError, workerBudget, type MemoryBudget } from '../budget';
import { budgetError } from './errors';

/** A quarter of the machine's memory, as the worker has always used. */
export function sessionBudget(deviceMemoryGb: number | undefined): MemoryBudget {
  return workerBudget(deviceMemoryGb);
}

/** Runs a computation; a budget refusal becomes the `budget` error with its numbers. */
export function refusing<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof BudgetError) throw budgetError(error.problem);
    throw error;
  }
}
