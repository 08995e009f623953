import { Schema, type Connection, type Model } from 'mongoose';
import type { CallEvent } from '../../journey/events';

/**
 * Mongoose models of the production store. Documents mirror the domain types; the schemas declare
 * what MongoDB must index. `strict: false` keeps each event's own payload fields, which vary by type.
 */
export interface EventDoc {
  _id: string;
  callSid: string;
  at: number;
  step: number;
  seq: number;
  type: string;
  /** epoch ms when stored */
  _r?: number;
  [field: string]: unknown;
}

/** The domain event a stored document holds (the storage time `_r` is the store's own). */
export function eventOfDoc(d: EventDoc): CallEvent {
  const { _id, _r, ...rest } = d;
  void _r;
  return { ...rest, id: _id } as unknown as CallEvent;
}

export interface JourneyDoc {
  _id: string;
  callSid: string;
  startedAt: string | null;
  flowId: string | null;
  caller: string | null;
  [field: string]: unknown;
}

export interface RollupDocument {
  _id: string;
  flowId: string;
  flowVersion: string;
  hour: string;
  dim: string;
  counts: Record<string, number>;
}

const eventSchema = new Schema<EventDoc>(
  { _id: String, callSid: String, at: Number, step: Number, seq: Number, type: String },
  { strict: false, versionKey: false, collection: 'events' },
);
// A call's events in the order they happened; also serves the rebuild scan and retention deletes.
eventSchema.index({ callSid: 1, at: 1, step: 1, seq: 1 });
// When each event was stored: other instances' live views tail by it where change streams are missing.
eventSchema.index({ _r: 1 });

const journeySchema = new Schema<JourneyDoc>(
  { _id: String, callSid: String, startedAt: String, flowId: String, caller: String },
  { strict: false, versionKey: false, collection: 'journeys', minimize: false },
);
journeySchema.index({ startedAt: -1, _id: -1 });
journeySchema.index({ flowId: 1, startedAt: -1 });
journeySchema.index({ caller: 1 });

const rollupSchema = new Schema<RollupDocument>(
  { _id: String, flowId: String, flowVersion: String, hour: String, dim: String, counts: { type: Schema.Types.Mixed, default: {} } },
  { versionKey: false, collection: 'rollups', minimize: false },
);
rollupSchema.index({ hour: 1, flowId: 1, dim: 1 });
// The views ask for one kind of rollup (a dimension prefix and grain) over a range: a year's month
// rollups of one dimension are then a short index range, not every rollup of the year.
rollupSchema.index({ dim: 1, hour: 1 });

/** A rollup intent (see Store.writeRollupIntents); few at any time, so no index beyond _id. */
export interface RollupIntentDocument {
  _id: string;
  owner: string;
  at: number;
  hours: string[];
}

const rollupIntentSchema = new Schema<RollupIntentDocument>(
  { _id: String, owner: String, at: Number, hours: [String] },
  { versionKey: false, collection: 'rollupintents' },
);

/** A kept flow version (see Store.archiveFlowVersions); _id is flowId@version. */
export interface FlowVersionDocument {
  _id: string;
  flowId: string;
  version: string;
  source: string;
  flow: unknown;
  archivedAt: string;
}

const flowVersionSchema = new Schema<FlowVersionDocument>(
  { _id: String, flowId: String, version: String, source: String, flow: Schema.Types.Mixed, archivedAt: String },
  { versionKey: false, collection: 'flowversions', minimize: false },
);

/** A caller's spoken comment (see reception/comments.ts); _id is its event's id. */
export interface CommentDocument {
  _id: string;
  callSid: string;
  at: string;
  flowId: string | null;
  language: string;
  confidence: number | null;
  text: string;
}

const commentSchema = new Schema<CommentDocument>(
  { _id: String, callSid: String, at: String, flowId: String, language: String, confidence: Number, text: String },
  { versionKey: false, collection: 'comments' },
);
// By call (a timeline, the register extract, erasure); newest first (the list, retention by time).
commentSchema.index({ callSid: 1 });
commentSchema.index({ at: -1, _id: -1 });
commentSchema.index({ flowId: 1, at: -1 });

/** A callback a caller asked for (see reception/callbacks.ts); _id is its event's id, the history embedded. */
export interface CallbackDocument {
  _id: string;
  callSid: string;
  flowId: string | null;
  caller: string | null;
  nodeId: string;
  target: string | null;
  targetKind: string | null;
  source: string;
  language: string;
  requestedAt: string;
  deadline: string | null;
  expires: string;
  sealed: string;
  state: string;
  assignedTo: string | null;
  tries: number;
  closedAt: string | null;
  history: { at: string; action: string; by: string | null; assignedTo?: string; note?: string }[];
}

const callbackSchema = new Schema<CallbackDocument>(
  {
    _id: String,
    callSid: String,
    flowId: String,
    caller: String,
    nodeId: String,
    target: String,
    targetKind: String,
    source: String,
    language: String,
    requestedAt: String,
    deadline: String,
    expires: String,
    sealed: String,
    state: String,
    assignedTo: String,
    tries: Number,
    closedAt: String,
    history: { type: Schema.Types.Mixed, default: [] },
  },
  { versionKey: false, collection: 'callbacks', minimize: false },
);
callbackSchema.index({ callSid: 1 });
callbackSchema.index({ state: 1, requestedAt: 1 });
callbackSchema.index({ requestedAt: 1 });
callbackSchema.index({ closedAt: 1 });

export interface Models {
  Event: Model<EventDoc>;
  Journey: Model<JourneyDoc>;
  Rollup: Model<RollupDocument>;
  RollupIntent: Model<RollupIntentDocument>;
  FlowVersion: Model<FlowVersionDocument>;
  Comment: Model<CommentDocument>;
  Callback: Model<CallbackDocument>;
}

export function registerModels(conn: Connection): Models {
  return {
    Event: conn.model<EventDoc>('Event', eventSchema),
    Journey: conn.model<JourneyDoc>('Journey', journeySchema),
    Rollup: conn.model<RollupDocument>('Rollup', rollupSchema),
    RollupIntent: conn.model<RollupIntentDocument>('RollupIntent', rollupIntentSchema),
    FlowVersion: conn.model<FlowVersionDocument>('FlowVersion', flowVersionSchema),
    Comment: conn.model<CommentDocument>('Comment', commentSchema),
    Callback: conn.model<CallbackDocument>('Callback', callbackSchema),
  };
}
