import type { ErrorInfo } from '../model/index.js';
import { NewsmirrorError, errorMessage, isNewsmirrorError, type Stage } from '../errors.js';

/**
 * stageError gives a thrown value the stage of the step that threw it: a NewsmirrorError keeps its
 * own (it was detected deeper, and knows better), anything else becomes an `internal` error of the step.
 */
export function stageError(error: unknown, stage: Stage): NewsmirrorError {
  return isNewsmirrorError(error) ? error : new NewsmirrorError('internal', stage, errorMessage(error), { cause: error });
}

/** atStage runs one step of a sync and labels whatever it throws with the step's stage. */
export async function atStage<T>(stage: Stage, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw stageError(error, stage);
  }
}

/** toErrorInfo is a failure as a report records it, with the stage of the step it came from. */
export function toErrorInfo(error: unknown, stage: Stage): ErrorInfo {
  const labelled = stageError(error, stage);
  return { code: labelled.code, stage: labelled.stage, message: labelled.message };
}
