/** The node read model's projection name: its schema, its read fences and its consumer group all use it. */
export const NODES_PROJECTION = 'nodes';
