import { Schema, type Connection, type Model } from 'mongoose';
import type { Notice } from '../../reception/notice';

/** One absence notice per person; _id is the person's key (their number in E.164). Few documents: no index beyond _id. */
export interface NoticeDocument {
  _id: string;
  reason: Notice['reason'];
  until: string | null;
  text?: string;
  setBy: string;
  setAt: string;
}

const noticeSchema = new Schema<NoticeDocument>(
  { _id: String, reason: String, until: { type: String, default: null }, text: String, setBy: String, setAt: String },
  { versionKey: false, collection: 'notices' },
);

export function registerNoticeModel(conn: Connection): Model<NoticeDocument> {
  return conn.model<NoticeDocument>('Notice', noticeSchema);
}

/** The notices collection behind the Store's notice methods. */
export class MongoNotices {
  constructor(
    private readonly model: Model<NoticeDocument>,
    private readonly op: { timeoutMS?: number },
  ) {}

  async put(n: Notice): Promise<void> {
    // Replaced whole: a notice set again without a text must not keep the old one's.
    await this.model.collection.replaceOne(
      { _id: n.person } as never,
      { reason: n.reason, until: n.until, ...(n.text !== undefined ? { text: n.text } : {}), setBy: n.setBy, setAt: n.setAt },
      { upsert: true, ...this.op },
    );
  }

  async delete(person: string): Promise<boolean> {
    const r = await this.model.collection.deleteOne({ _id: person } as never, this.op);
    return r.deletedCount === 1;
  }

  async list(): Promise<Notice[]> {
    const docs = await this.model.find({}).sort({ _id: 1 }).setOptions(this.op).lean();
    return docs.map((d) => ({ person: d._id, reason: d.reason, until: d.until ?? null, ...(d.text !== undefined && d.text !== null ? { text: d.text } : {}), setBy: d.setBy, setAt: d.setAt }));
  }
}
