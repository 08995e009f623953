import express, { type Response } from 'express';
import { z } from 'zod';
import { ApiError, ErrorCodes } from '../errors';
import type { FlowRegistry } from '../flow/registry';
import { AuditActions } from '../identity/audit-actions';
import { hasRole } from '../identity/principal';
import { NOTICE_REASONS, NOTICE_TEXT_MAX, REASONS_NEEDING_UNTIL, personKey, type Notice } from '../reception/notice';
import type { NoticeBoard } from '../reception/notice-board';
import { noticeSentence } from '../reception/notice-sentence';
import { directoryPeople, type DirectoryPerson } from '../reception/people';
import type { RecordAccess } from './audit-access';
import { principalOf } from './guard';

export interface NoticesRoutesDeps {
  board: NoticeBoard;
  registry: FlowRegistry;
  recordAccess: RecordAccess;
  now: () => number;
  /** The municipality's time zone: what a caller hears says its times in it. */
  timeZone: string;
}

const NoticeBody = z
  .strictObject({
    reason: z.enum(NOTICE_REASONS),
    until: z.iso.datetime({ offset: true, error: 'must be an ISO time with its offset, e.g. 2026-03-02T14:00:00+01:00' }).optional(),
    text: z.string().trim().min(1).max(NOTICE_TEXT_MAX).optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.until && REASONS_NEEDING_UNTIL.has(b.reason)) ctx.addIssue({ code: 'custom', path: ['until'], message: `a notice for "${b.reason}" needs the time the person is back` });
    if (b.reason === 'other' && !b.text) ctx.addIssue({ code: 'custom', path: ['text'], message: 'a notice for "other" needs a short text' });
    if (b.reason !== 'other' && b.text) ctx.addIssue({ code: 'custom', path: ['text'], message: 'only a notice for "other" has a text' });
  });

/**
 * How the audit trail names the person: flow and extension, where callers reach them, rather than
 * their phone number (a work number, but numbers are what the rest of the trail keeps out).
 */
const auditObject = (p: DirectoryPerson) => `person:${p.flows[0].flowId}/${p.flows[0].extension}`;

/** A person's own directory entry: their e-mail is the signed-in user's. */
const isOwn = (email: string | null | undefined, person: DirectoryPerson) => !!email && !!person.email && email.toLowerCase() === person.email.toLowerCase();

/**
 * Absence notices: the current ones with the person's name, number and flows; setting and clearing
 * one. Reception and admins act for anyone; anyone else signed in only for the directory person
 * whose `email` is theirs (the access rule lets them through to this check).
 */
export function noticesRoutes(deps: NoticesRoutesDeps): express.Router {
  const r = express.Router();
  r.use('/notices', express.json({ limit: '2kb' }));
  const people = () => directoryPeople(deps.registry.list());

  const personFor = (res: Response, number: string): DirectoryPerson => {
    const person = people().get(personKey(number));
    if (!person) throw new ApiError(404, ErrorCodes.API_NOT_FOUND, `No person with the number ${number} in any flow's directory`);
    const p = principalOf(res);
    const own = isOwn(p.email, person);
    if (!hasRole(p, 'reception', 'admin') && !own) throw new ApiError(403, ErrorCodes.API_FORBIDDEN, 'Only reception, an admin or the person themselves may change this notice');
    return person;
  };

  const view = (n: Notice, person: DirectoryPerson | undefined) => ({
    number: person?.number ?? n.person,
    name: person?.name ?? null,
    flows: person?.flows ?? [],
    reason: n.reason,
    until: n.until,
    ...(n.text ? { text: n.text } : {}),
    setBy: n.setBy,
    setAt: n.setAt,
  });

  /** What a caller hears before any ring, in Swedish and English, said as of now (the dashboard's preview). */
  const heard = (n: Notice, name: string, now: number) => {
    const spoken = { name, reason: n.reason, until: n.until, ...(n.text ? { text: n.text } : {}) };
    return { sv: noticeSentence(spoken, 'sv-SE', deps.timeZone, now), en: noticeSentence(spoken, 'en-GB', deps.timeZone, now) };
  };

  /**
   * GET /api/people: the directory's people, each with their current notice (null: none) and what a
   * caller hears of it. Reception and admins get everyone; anyone else signed in gets only themselves
   * (the person whose e-mail is theirs; an empty list when they are in no directory), so "Min
   * hänvisning" can find its person without the rest of the directory.
   */
  r.get('/people', (_req, res) => {
    const p = principalOf(res);
    const now = deps.now();
    const all = [...people().values()];
    const shown = hasRole(p, 'reception', 'admin') ? all : all.filter((person) => isOwn(p.email, person));
    res.json({
      people: shown
        .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
        .map((person) => {
          const n = deps.board.current(person.key, now);
          return {
            number: person.number,
            name: person.name,
            flows: person.flows,
            own: isOwn(p.email, person),
            notice: n ? { ...view(n, person), heard: heard(n, person.name, now) } : null,
          };
        }),
    });
  });

  r.get('/notices', (_req, res) => {
    const known = people();
    res.json({ notices: deps.board.list(deps.now()).map((n) => view(n, known.get(n.person))) });
  });

  r.put('/notices/:number', async (req, res) => {
    const person = personFor(res, req.params.number);
    const parsed = NoticeBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const now = deps.now();
    const b = parsed.data;
    const until = b.until ? new Date(Date.parse(b.until)).toISOString() : null;
    if (until !== null && Date.parse(until) <= now) throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'until: the return time has passed already');
    const notice: Notice = { person: person.key, reason: b.reason, until, ...(b.text ? { text: b.text } : {}), setBy: principalOf(res).actor, setAt: new Date(now).toISOString() };
    await deps.board.set(notice);
    await deps.recordAccess(req, res, AuditActions.NOTICE_SET, auditObject(person), { name: person.name, reason: notice.reason, until: notice.until ?? 'open' });
    res.json({ ...view(notice, person), heard: heard(notice, person.name, now) });
  });

  r.delete('/notices/:number', async (req, res) => {
    const person = personFor(res, req.params.number);
    const had = await deps.board.clear(person.key);
    if (had) await deps.recordAccess(req, res, AuditActions.NOTICE_CLEARED, auditObject(person), { name: person.name });
    res.json({ number: person.number, cleared: had });
  });

  return r;
}
