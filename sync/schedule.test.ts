import { describe, expect, it } from 'vitest';
import { type Effect, type SchedulerEvent, type SchedulerState, transition } from './schedule.ts';

const idle: SchedulerState = { phase: 'idle', behind: false };
const draining: SchedulerState = { phase: 'draining', again: false };
const backoff: SchedulerState = { phase: 'backoff', retryAt: 5_000 };
const paused: SchedulerState = { phase: 'needs-sign-in' };
const stopped: SchedulerState = { phase: 'stopped', paused: false, inFlight: false };

const on = { online: true };
const off = { online: false };
const request: SchedulerEvent = { type: 'request', ...on };
const drain: Effect[] = [{ type: 'disarm' }, { type: 'drain' }];

type Row = [string, SchedulerState, SchedulerEvent, SchedulerState, Effect[]];

const table: Row[] = [
  // Requests
  ['idle drains on request', idle, request, draining, drain],
  ['a backoff is cut short by a request', backoff, request, draining, drain],
  [
    'a request while draining folds into one more drain',
    draining,
    request,
    { phase: 'draining', again: true },
    [],
  ],
  [
    'offline: refused, and looked at again at the poll',
    idle,
    { type: 'request', ...off },
    idle,
    [{ type: 'refuse', status: 'offline' }, { type: 'poll' }],
  ],
  [
    'offline during a backoff: the retry is owed at the next wake',
    backoff,
    { type: 'request', ...off },
    { phase: 'idle', behind: true },
    [{ type: 'refuse', status: 'offline' }, { type: 'poll' }],
  ],
  ['paused for sign-in: refused', paused, request, paused, [{ type: 'refuse', status: 'paused' }]],
  ['stopped: refused', stopped, request, stopped, [{ type: 'refuse', status: 'stopped' }]],
  [
    'stopped with a drain in flight: the request waits for it',
    { ...stopped, inFlight: true },
    request,
    { ...stopped, inFlight: true },
    [],
  ],
  // Triggers
  ['a write debounces', idle, { type: 'trigger', when: 'debounce', ...on }, idle, [{ type: 'debounce' }]],
  [
    'a write while draining debounces too',
    draining,
    { type: 'trigger', when: 'debounce', ...on },
    draining,
    [{ type: 'debounce' }],
  ],
  ['a write never cuts a backoff short', backoff, { type: 'trigger', when: 'debounce', ...on }, backoff, []],
  [
    'the network coming back cuts a backoff short',
    backoff,
    { type: 'trigger', when: 'now', ...on },
    draining,
    drain,
  ],
  ['no trigger wakes a paused engine', paused, { type: 'trigger', when: 'now', ...on }, paused, []],
  ['no trigger wakes a stopped engine', stopped, { type: 'trigger', when: 'debounce', ...on }, stopped, []],
  // Wake timer
  ['the poll drains when something is queued', idle, { type: 'wake', queued: true, ...on }, draining, drain],
  ['the poll does nothing when nothing is queued', idle, { type: 'wake', queued: false, ...on }, idle, []],
  [
    'the poll drains when the pull is behind',
    { phase: 'idle', behind: true },
    { type: 'wake', queued: false, ...on },
    draining,
    drain,
  ],
  ['the backoff timer drains', backoff, { type: 'wake', queued: false, ...on }, draining, drain],
  // Drain ends
  [
    'synced: idle, look again at the poll',
    draining,
    { type: 'drained', end: { type: 'synced', morePull: false }, ...on },
    idle,
    [{ type: 'poll' }],
  ],
  [
    'synced with pages left: wake right away, through the timer',
    draining,
    { type: 'drained', end: { type: 'synced', morePull: true }, ...on },
    { phase: 'idle', behind: true },
    [{ type: 'wake-at', at: 'now' }],
  ],
  [
    'synced after a folded request: once more',
    { phase: 'draining', again: true },
    { type: 'drained', end: { type: 'synced', morePull: false }, ...on },
    draining,
    [{ type: 'drain' }],
  ],
  [
    'synced after a folded request, but offline now',
    { phase: 'draining', again: true },
    { type: 'drained', end: { type: 'synced', morePull: false }, ...off },
    idle,
    [{ type: 'poll' }],
  ],
  [
    'skipped (another tab drains): look again at the poll',
    draining,
    { type: 'drained', end: { type: 'skipped' }, ...on },
    idle,
    [{ type: 'poll' }],
  ],
  [
    'a failure backs off until its time',
    draining,
    { type: 'drained', end: { type: 'retry-later', retryAt: 9_000 }, ...on },
    { phase: 'backoff', retryAt: 9_000 },
    [{ type: 'wake-at', at: 9_000 }],
  ],
  [
    'an auth failure pauses for sign-in',
    draining,
    { type: 'drained', end: { type: 'needs-sign-in' }, ...on },
    paused,
    [],
  ],
  [
    'a request while draining does not outlast a sign-in pause',
    { phase: 'draining', again: true },
    { type: 'drained', end: { type: 'needs-sign-in' }, ...on },
    paused,
    [],
  ],
  [
    'sync now while draining (a sign-in asks for it) is remembered',
    draining,
    { type: 'sync-now', ...on },
    { phase: 'draining', again: true, syncNow: true },
    [],
  ],
  [
    'a sign-in while the drain before it ran: that drain ends needing a sign-in, and the next one goes',
    { phase: 'draining', again: true, syncNow: true },
    { type: 'drained', end: { type: 'needs-sign-in' }, ...on },
    draining,
    [{ type: 'drain' }],
  ],
  [
    'a drain ending after stop arms nothing',
    { ...stopped, inFlight: true },
    { type: 'drained', end: { type: 'retry-later', retryAt: 9_000 }, ...on },
    stopped,
    [],
  ],
  [
    'an auth failure after stop is kept for the restart',
    { ...stopped, inFlight: true },
    { type: 'drained', end: { type: 'needs-sign-in' }, ...on },
    { ...stopped, paused: true },
    [],
  ],
  // Stop, start, sync now
  ['stop clears the timers', backoff, { type: 'stop' }, stopped, [{ type: 'disarm' }]],
  [
    'stop while draining remembers the drain',
    draining,
    { type: 'stop' },
    { ...stopped, inFlight: true },
    [{ type: 'disarm' }],
  ],
  [
    'stop keeps a sign-in pause',
    paused,
    { type: 'stop' },
    { ...stopped, paused: true },
    [{ type: 'disarm' }],
  ],
  ['start after stop: idle', stopped, { type: 'start' }, idle, []],
  ['start keeps a sign-in pause', { ...stopped, paused: true }, { type: 'start' }, paused, []],
  [
    'start while the old drain runs: it runs once more',
    { ...stopped, inFlight: true },
    { type: 'start' },
    { phase: 'draining', again: true },
    [],
  ],
  ['start on a running engine changes nothing', idle, { type: 'start' }, idle, []],
  ['sync now ends a sign-in pause and drains', paused, { type: 'sync-now', ...on }, draining, drain],
  [
    'sync now while stopped ends the pause but does not drain',
    { ...stopped, paused: true },
    { type: 'sync-now', ...on },
    stopped,
    [{ type: 'refuse', status: 'stopped' }],
  ],
];

describe('schedule: transition', () => {
  it.each(table)('%s', (_name, state, event, next, effects) => {
    expect(transition(state, event)).toEqual({ state: next, effects });
  });
});
