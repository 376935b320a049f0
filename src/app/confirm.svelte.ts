/**
 * Asking before a destructive action, in the app's own dialog (never window.confirm, which a browser may
 * suppress and which cannot say what will be lost in a layout the planner reads). A caller awaits `confirmAction`
 * with what the action destroys; ConfirmDialog.svelte, mounted once in App.svelte, shows the request. The answer
 * is the id of the action chosen, or null for the safe choice (the cancel button, Esc, the backdrop). Texts are
 * functions, so a language switch while the dialog is open rewords it.
 */

type Text = () => string;

interface ConfirmAction {
  id: string;
  label: Text;
  /** Drawn as the destructive choice. */
  danger?: boolean;
}

export interface ConfirmRequest {
  title: Text;
  /** Paragraphs saying exactly what is lost or replaced, and whether it can be undone. */
  body: Text[];
  /** The safe button: it has the focus when the dialog opens. */
  cancel: Text;
  /** The other choices, in the order shown after the cancel button. */
  actions: ConfirmAction[];
  /** data-testid of the dialog, for tests and styles. */
  testid?: string;
}

interface Pending extends ConfirmRequest {
  answer(choice: string | null): void;
}

class Confirmation {
  /** The request on screen, or null. */
  current = $state.raw<Pending | null>(null);

  ask(request: ConfirmRequest): Promise<string | null> {
    // A second request while one is open: the first is answered with the safe choice.
    this.current?.answer(null);
    return new Promise((resolve) => {
      const pending: Pending = {
        ...request,
        answer: (choice) => {
          if (this.current === pending) this.current = null;
          resolve(choice);
        },
      };
      this.current = pending;
    });
  }
}

export const confirmation = new Confirmation();

/** Shows the request and resolves with the chosen action's id, or null when the planner kept things as they are. */
export function confirmAction(request: ConfirmRequest): Promise<string | null> {
  return confirmation.ask(request);
}
