import type { IConstruct } from 'constructs';

/** the node metadata type under which constructs record their construction warnings. */
export const CONSTRUCTION_WARNING = 'cdk8s-hardened:warning';

/** where warnings are printed; tests swap it. */
let sink: (line: string) => void = (line) => process.stderr.write(line);

/** replaces where construction warnings are printed (returns the previous sink); for tests and embedding tools. */
export function setConstructionWarningSink(next: (line: string) => void): (line: string) => void {
  const previous = sink;
  sink = next;
  return previous;
}

// cdk8s validates the whole app once per synth and again for every chart it renders, all in one
// synchronous call: a construct prints in the first validation of a turn, and the set is renewed
// when the turn ends, so the next synth prints again.
let printedThisTurn: WeakSet<IConstruct> | undefined;

function printedSet(): WeakSet<IConstruct> {
  if (!printedThisTurn) {
    printedThisTurn = new WeakSet();
    queueMicrotask(() => { printedThisTurn = undefined; });
  }
  return printedThisTurn;
}

const PRINTING = new WeakSet<IConstruct>();

/**
 * Records a construction warning on `construct` (node metadata `cdk8s-hardened:warning`) and
 * prints it on stderr once per synth (`app.synth()`, `Testing.synth()`, `cdk8s synth`), naming
 * the construct path. Synth still succeeds: a warning that must fail it is a checker finding.
 */
export function addConstructionWarning(construct: IConstruct, message: string): void {
  construct.node.addMetadata(CONSTRUCTION_WARNING, message);
  if (PRINTING.has(construct)) return;
  PRINTING.add(construct);
  construct.node.addValidation({
    validate: () => {
      const printed = printedSet();
      if (printed.has(construct)) return [];
      printed.add(construct);
      for (const entry of construct.node.metadata) {
        if (entry.type === CONSTRUCTION_WARNING) sink(`cdk8s-hardened: warning: [${construct.node.path}] ${String(entry.data)}\n`);
      }
      return [];
    },
  });
}
