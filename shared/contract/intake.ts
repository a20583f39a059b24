// Photo intake channels (issue: photo intake and preparation).
export const intakeInvoke = {};
export const intakeEvents = {};
