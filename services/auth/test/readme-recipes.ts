/**
 * The shell recipes of README.md, read the way a newcomer follows them: every ```sh block that
 * holds a `buf curl`, command by command, in README order.
 *
 * What the runner needs from the README is written beside the commands:
 * - a trailing `# fails with <code> [<reason>]` marks a recipe documented to answer that error
 *   (Connect code in snake case, ErrorDetail reason);
 * - a trailing `# "<Subject>"` on a `curl …/dev/mail…` recipe names the mail it shows, newest
 *   first (the runner waits for it: mail goes out through the outbox);
 * - `NAME='…'` lines are shell variables for the commands after them in the same block;
 * - placeholders in angle brackets are filled from earlier answers (see PLACEHOLDERS).
 */

export interface Recipe {
  /** 1-based line of the README where the command starts. */
  line: number;
  /** The command with its continuation lines joined, without its trailing comment. */
  command: string;
  /** `NAME='…'` assignments made earlier in the same block. */
  variables: string[];
  /** Documented failure: Connect code and, when given, the reason. */
  fails?: { code: string; reason?: string };
  /** For a dev-mailbox recipe, the subject of the newest mail it shows. */
  mailSubject?: string;
}

/** Every command of every ```sh block of `markdown` that holds a `buf curl`. */
export function readmeRecipes(markdown: string): Recipe[] {
  const lines = markdown.split("\n");
  const recipes: Recipe[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== "```sh") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== "```") end++;
    const block = lines.slice(start, end);
    i = end;
    if (!block.some((l) => /\bbuf curl\b/.test(l))) continue;

    const variables: string[] = [];
    for (let j = 0; j < block.length; j++) {
      const first = j;
      let text = block[j]!;
      while (text.endsWith("\\") && j + 1 < block.length) text = `${text.slice(0, -1)}${block[++j]!.trim()}`;
      const { command, comment } = splitComment(text.trim());
      if (command === "") continue;
      if (/^[A-Za-z_]\w*=/.test(command)) {
        variables.push(command);
        continue;
      }
      const recipe: Recipe = { line: start + first + 1, command, variables: [...variables] };
      const fails = comment && /^fails with ([a-z_]+)(?: ([a-z_.]+))?\b/.exec(comment);
      if (fails) recipe.fails = { code: fails[1]!, ...(fails[2] ? { reason: fails[2] } : {}) };
      const subject = comment && /^"([^"]+)"/.exec(comment);
      if (subject) recipe.mailSubject = subject[1]!;
      recipes.push(recipe);
    }
  }
  return recipes;
}

/** Splits `cmd   # comment` at the first `#` outside quotes that starts a word. */
function splitComment(text: string): { command: string; comment?: string } {
  let quote: string | undefined;
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === "#" && (k === 0 || /\s/.test(text[k - 1]!))) {
      return { command: text.slice(0, k).trim(), comment: text.slice(k + 1).trim() };
    }
  }
  return { command: text };
}

type Answer = Record<string, any>;

/** How each placeholder is filled: from the newest earlier answer that has what it needs. */
export const PLACEHOLDERS: Record<string, (answer: Answer) => string | undefined> = {
  "<accessToken>": (a) => a.tokens?.accessToken,
  "<refreshToken>": (a) => a.tokens?.refreshToken,
  // The token parameter of the link in the newest mail a /dev/mail answer lists.
  "<token>": (a) => tokenOfMail(a),
  "<token from the link>": (a) => tokenOfMail(a),
  // The caller's own session in a ListSessions answer ("current": true).
  "<id>": (a) => (Array.isArray(a.sessions) ? a.sessions.find((s: Answer) => s.current)?.id : undefined),
};

function tokenOfMail(answer: Answer): string | undefined {
  const text = Array.isArray(answer.messages) ? String(answer.messages[0]?.text ?? "") : "";
  return /[?&]token=([^&\s"]+)/.exec(text)?.[1];
}

/** `command` with every placeholder filled from `answers` (oldest first); throws on one it cannot fill. */
export function fillPlaceholders(command: string, answers: Answer[]): string {
  return command.replace(/<[^<>\n]+>/g, (placeholder) => {
    const fill = PLACEHOLDERS[placeholder];
    if (!fill) throw new Error(`no rule fills ${placeholder}: add one to PLACEHOLDERS`);
    for (const answer of [...answers].reverse()) {
      const value = fill(answer);
      if (value) return value;
    }
    throw new Error(`no earlier answer has what ${placeholder} needs`);
  });
}
