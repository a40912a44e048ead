// Which connector names are accepted (issue 10 point 4). Pure; config-api checks it on create.
//
// Kafka Connect accepts almost any name (it trims and refuses ISO control characters). We do the
// same and add a length limit so every name fits everywhere it is used (Kafka group and
// transactional ids, record keys, Kubernetes annotations); file names and topic names derived from
// a name are encoded or hashed by their users, so the characters themselves never matter.

/** Longest accepted name, in characters (Unicode code points); Kafka's topic-name limit. */
export const MAX_CONNECTOR_NAME_LENGTH = 249;

/** Why `name` is refused, naming the rule; undefined when accepted. */
export function connectorNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Connector name must not be empty or only whitespace';
  const length = [...name].length;
  if (length > MAX_CONNECTOR_NAME_LENGTH) {
    return `Connector name is ${length} characters long; the limit is ${MAX_CONNECTOR_NAME_LENGTH}`;
  }
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(name);
  if (control !== null) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `Connector name must not contain control characters (U+${code} at index ${control.index})`;
  }
  return undefined;
}
