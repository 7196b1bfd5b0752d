"""The queue between the lean join endpoint (fastjoin.py) and the drainers that write the joins
in batches (issue 6: 3,000 guests post within a second; the post must cost well under a
millisecond, so the selfie and the database wait for a batch).

With REDIS_URL every uvicorn worker shares one Redis stream: the endpoint adds a job with a
Lua script that also answers a second tap of the same person with the first tap's receipt; a
drainer in EVERY worker reads the stream as one consumer group (XREADGROUP), so any worker
writes any worker's joins, and a job a dead worker had read is claimed again by another after
CLAIM_IDLE_MS (XAUTOCLAIM). Results are stored per receipt and published, so a phone waiting
on any worker hears of its join at once. Without Redis (development, the SQLite test run) the
queue is an in-process list drained in the same process: correct for one worker only.

A drainer starts lazily with the first join or status request its worker serves.
"""

import asyncio
import contextlib
import json
import logging
import os
import secrets
import socket
import time
from collections import OrderedDict
from collections.abc import Coroutine
from dataclasses import dataclass
from functools import cache
from typing import Any

import msgpack
import redis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connections
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from zhongyan.core.errors import DomainError
from zhongyan.events import broadcast, services
from zhongyan.events.models import Event
from zhongyan.events.selfies import process_client_selfie

log = logging.getLogger(__name__)

BATCH_SIZE = 200
RECEIPT_SECONDS = 3600
CLAIM_IDLE_MS = 60_000
CLAIM_EVERY_S = 15
# A drainer that is told to stop finishes the batch in hand; past this it is cancelled.
STOP_SECONDS = 60
# Selfie files are written once no join has come for this long, this many per look at the queue.
FILES_AFTER_IDLE_S = 0.5
FILES_PER_TURN = 50
QUEUED = {"status": "queued"}

# KEYS: the person's dedupe key, the receipt's status, the stream. ARGV: receipt, job, ttl, status.
_SUBMIT = """
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[4], 'EX', ARGV[3])
redis.call('XADD', KEYS[3], '*', 'job', ARGV[2])
return ARGV[1]
"""
# The person may tap again once their join is written: that tap is a new (idempotent) job.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass(frozen=True)
class Job:
    receipt: str
    key: str
    ticket: dict[str, Any]
    name: str
    contact: str
    organisation: str
    photo: bytes | None

    def pack(self) -> bytes:
        fields = [self.receipt, self.key, self.ticket, self.name, self.contact, self.organisation, self.photo]
        return msgpack.packb(fields, use_bin_type=True)

    @classmethod
    def unpack(cls, data: bytes) -> "Job":
        return cls(*msgpack.unpackb(data, raw=False))


def new_receipt() -> str:
    return secrets.token_urlsafe(16)


# --- the drainer's work: synchronous, in a worker thread ------------------------------------------


def _refused(job: Job, message: Any) -> dict[str, Any]:
    with translation.override(job.ticket["language"]):
        return {"status": "refused", "message": str(message)}


Statuses = dict[str, dict[str, Any]]


def process_jobs(jobs: list[Job]) -> tuple[Statuses, list[services.JoinResult], broadcast.Outgoing]:
    """Selfies first (a hostile picture refuses its own join only), then one batch per event.
    Returns each receipt's final status, messages in the guest's language, the joins whose
    files are still to write (write_files, when the queue is idle) and the wall frames the
    batches announced, for the drainer's event loop to send."""
    close_old_connections()
    unwritten: list[services.JoinResult] = []
    try:
        with broadcast.collecting() as frames:
            statuses = _process_jobs(jobs, unwritten)
        return statuses, unwritten, frames
    finally:
        # A pool thread, not a request: its connection goes back (to the pool, if any) now.
        connections.close_all()


def _process_jobs(jobs: list[Job], unwritten: list[services.JoinResult]) -> Statuses:
    statuses: Statuses = {}
    by_event: dict[int, list[tuple[Job, services.QueuedJoin]]] = {}
    for job in jobs:
        ticket = job.ticket
        try:
            with translation.override(ticket["language"]):
                photo = job.photo
                selfie = process_client_selfie(photo, max_bytes=settings.EVENT_PHOTO_MAX_BYTES) if photo else None
        except DomainError as error:
            statuses[job.receipt] = _refused(job, error.message)
            continue
        queued = services.QueuedJoin(
            key=job.key,
            venue_id=ticket["venue_id"],
            selfie=selfie,
            user_id=ticket["user_id"],
            name=(ticket["user_name"] or job.name) if ticket["user_id"] else job.name,
            contact=job.contact,
            organisation_name=job.organisation,
        )
        by_event.setdefault(ticket["event_id"], []).append((job, queued))
    for event_id, pairs in by_event.items():
        try:
            results = services.join_event_batch(event_id=event_id, joins=[queued for _job, queued in pairs])
        except Event.DoesNotExist:
            results = {}
        for job, queued in pairs:
            result = results.get(queued.key)
            if result is None:
                statuses[job.receipt] = _refused(job, _("This event or venue no longer exists."))
                continue
            statuses[job.receipt] = _done(job, result.attendance)
            if result.unwritten is not None:
                unwritten.append(result)
    return statuses


def write_files(unwritten: list[services.JoinResult]) -> None:
    try:
        services.write_selfies(unwritten)
    finally:
        connections.close_all()


def _done(job: Job, attendance: Any) -> dict[str, Any]:
    with translation.override(job.ticket["language"]):
        url = reverse("events:join_done", args=[job.ticket["venue_public_id"]]) + f"?receipt={job.receipt}"
    return {
        "status": "done",
        "attendance": attendance.public_id,
        "event": job.ticket["event_public_id"],
        "on_wall": bool(attendance.thumbnail) and not attendance.hidden,
        "done_url": url,
    }


class _Files:
    """Selfie files wait until the queue has been idle for a while, and are then written a few at
    a time between looks at the queue: in a burst, CPU goes to the screens first."""

    def __init__(self) -> None:
        self.unwritten: list[services.JoinResult] = []
        # The write in hand: its thread goes on even if the awaiting task is cancelled.
        self.writing: asyncio.Future[None] | None = None
        self.busy_at = 0.0

    def busy(self) -> None:
        self.busy_at = time.monotonic()

    def due(self) -> bool:
        return bool(self.unwritten) and time.monotonic() - self.busy_at >= FILES_AFTER_IDLE_S

    async def write(self, limit: int | None = None) -> None:
        if self.unwritten:
            count = len(self.unwritten) if limit is None else limit
            batch, self.unwritten = self.unwritten[:count], self.unwritten[count:]
            self.writing = asyncio.ensure_future(sync_to_async(write_files, thread_sensitive=False)(batch))
            try:
                await asyncio.shield(self.writing)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("writing %d selfies failed", len(batch))

    async def flush(self) -> None:
        """Waits for the write in hand, then writes what is left (the drainer has stopped)."""
        if self.writing is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self.writing), STOP_SECONDS)
        await self.write()


async def run_batch(jobs: list[Job], files: _Files) -> tuple[Statuses, broadcast.Outgoing]:
    if not jobs:
        return {}, []
    try:
        # Outside the request thread: Pillow and the ORM must not stall this worker's loop.
        statuses, unwritten, frames = await sync_to_async(process_jobs, thread_sensitive=False)(jobs)
    except Exception:
        log.exception("a batch of %d joins failed", len(jobs))
        refused = _("Something went wrong on our side. Please try again.")
        return {job.receipt: _refused(job, refused) for job in jobs}, []
    files.unwritten.extend(unwritten)
    return statuses, frames


class _InOrder:
    """Runs coroutines one after another in the background: a batch's frames and receipts go out
    in the order of the batches while the drainer already works on the next one."""

    def __init__(self) -> None:
        self.last: asyncio.Future[None] | None = None

    def then(self, step: Coroutine[Any, Any, None]) -> None:
        previous = self.last

        async def run() -> None:
            if previous is not None:
                with contextlib.suppress(Exception):
                    await previous
            try:
                await step
            except Exception:
                log.exception("announcing a batch of joins failed")

        self.last = asyncio.ensure_future(run())

    async def flush(self) -> None:
        if self.last is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self.last), STOP_SECONDS)


# --- the queues -------------------------------------------------------------------------------------


class _Waiting:
    """Phones long-polling their receipt in this process."""

    def __init__(self) -> None:
        self.waiters: dict[str, list[asyncio.Future[dict[str, Any]]]] = {}

    def add(self, receipt: str) -> asyncio.Future[dict[str, Any]]:
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiters.setdefault(receipt, []).append(future)
        return future

    def remove(self, receipt: str, future: asyncio.Future[dict[str, Any]]) -> None:
        futures = self.waiters.get(receipt, [])
        with contextlib.suppress(ValueError):
            futures.remove(future)
        if not futures:
            self.waiters.pop(receipt, None)

    def resolve(self, statuses: dict[str, dict[str, Any]]) -> None:
        for receipt, status in statuses.items():
            for future in self.waiters.pop(receipt, []):
                if not future.done():
                    future.set_result(status)


_LOCAL_STATUSES: "OrderedDict[str, dict[str, Any]]" = OrderedDict()
_LOCAL_STATUS_LIMIT = 50_000


def _remember_locally(receipt: str, status: dict[str, Any]) -> None:
    _LOCAL_STATUSES[receipt] = status
    _LOCAL_STATUSES.move_to_end(receipt)
    while len(_LOCAL_STATUSES) > _LOCAL_STATUS_LIMIT:
        _LOCAL_STATUSES.popitem(last=False)


class LocalJoinQueue:
    def __init__(self) -> None:
        self.pending: list[Job] = []
        self.keys: dict[str, str] = {}
        self.wakeup = asyncio.Event()
        self.waiting = _Waiting()
        self.files = _Files()
        self.drainer: asyncio.Task[None] | None = None
        self.stopping = False

    async def submit(self, job: Job) -> str:
        if job.key in self.keys:
            return self.keys[job.key]
        self.keys[job.key] = job.receipt
        _remember_locally(job.receipt, QUEUED)
        self.pending.append(job)
        self.wakeup.set()
        self.start()
        return job.receipt

    def start(self) -> None:
        if not self.stopping and (self.drainer is None or self.drainer.done()):
            self.drainer = asyncio.get_running_loop().create_task(self._drain())

    async def close(self) -> None:
        self.stopping = True
        self.wakeup.set()
        await _stop(self.drainer)
        await self.files.flush()

    async def _drain(self) -> None:
        while not self.stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wakeup.wait(), 1)
            self.wakeup.clear()
            while self.pending:
                batch, self.pending = self.pending[:BATCH_SIZE], self.pending[BATCH_SIZE:]
                statuses, frames = await run_batch(batch, self.files)
                await broadcast.send_collected(frames)
                for job in batch:
                    if self.keys.get(job.key) == job.receipt:
                        del self.keys[job.key]
                for receipt, status in statuses.items():
                    _remember_locally(receipt, status)
                self.waiting.resolve(statuses)
            await self.files.write()

    async def status(self, receipt: str) -> dict[str, Any] | None:
        return _LOCAL_STATUSES.get(receipt)

    async def wait(self, receipt: str, timeout: float) -> dict[str, Any] | None:
        self.start()
        status = _LOCAL_STATUSES.get(receipt)
        if status is None or status["status"] != "queued":
            return status
        future = self.waiting.add(receipt)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return _LOCAL_STATUSES.get(receipt)
        finally:
            self.waiting.remove(receipt, future)


def _prefix() -> str:
    return str(settings.CACHES["default"].get("KEY_PREFIX") or "zhongyan") + ":events:"


class RedisJoinQueue:
    GROUP = "drainers"

    def __init__(self, url: str) -> None:
        import redis.asyncio

        # Thousands of phones long-poll at once: they wait for a connection rather than fail.
        pool = redis.asyncio.BlockingConnectionPool.from_url(url, max_connections=512, timeout=60)
        # from_pool: the client owns the pool, so closing the client closes its connections.
        self.client = redis.asyncio.Redis.from_pool(pool)
        self.lookups: list[tuple[str, asyncio.Future[dict[str, Any] | None]]] = []
        self.lookup_scheduled = False
        prefix = _prefix()
        self.stream, self.channel, self.prefix = prefix + "joins", prefix + "receipts", prefix
        self.pending: list[tuple[Job, asyncio.Future[str]]] = []
        self.flush_scheduled = False
        self.waiting = _Waiting()
        self.files = _Files()
        self.listening = asyncio.Event()
        self.listener: asyncio.Task[None] | None = None
        self.drainer: asyncio.Task[None] | None = None
        self.announcing = _InOrder()
        self.stopping = False

    async def close(self) -> None:
        self.stopping = True
        await _stop(self.drainer)
        await self.announcing.flush()
        await _cancel(self.listener)
        await self.files.flush()
        await self.client.aclose()

    def _dedupe_key(self, key: str) -> str:
        return f"{self.prefix}person:{key}"

    def _receipt_key(self, receipt: str) -> str:
        return f"{self.prefix}receipt:{receipt}"

    async def submit(self, job: Job) -> str:
        """Joins arriving in the same turn of the loop go to Redis in one pipeline."""
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.pending.append((job, future))
        if not self.flush_scheduled:
            self.flush_scheduled = True
            asyncio.get_running_loop().create_task(self._flush())
        self.start()
        return await future

    async def _flush(self) -> None:
        await asyncio.sleep(0)
        batch, self.pending, self.flush_scheduled = self.pending, [], False
        queued = json.dumps(QUEUED)
        try:
            async with self.client.pipeline(transaction=False) as pipe:
                for job, _future in batch:
                    keys = [self._dedupe_key(job.key), self._receipt_key(job.receipt), self.stream]
                    pipe.eval(_SUBMIT, 3, *keys, job.receipt, job.pack(), RECEIPT_SECONDS, queued)
                replies = await pipe.execute()
        except (redis.RedisError, OSError) as error:
            for _job, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        for (_job, future), reply in zip(batch, replies, strict=True):
            if not future.done():
                future.set_result(reply.decode() if isinstance(reply, bytes) else str(reply))

    def start(self) -> None:
        if not self.stopping and (self.drainer is None or self.drainer.done()):
            self.drainer = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        consumer = f"{socket.gethostname()}-{os.getpid()}-{id(self)}"
        with contextlib.suppress(redis.ResponseError):  # BUSYGROUP: another worker made it
            await self.client.xgroup_create(self.stream, self.GROUP, id="0", mkstream=True)
        claimed_at = time.monotonic()
        while not self.stopping:
            try:
                entries: list[Any] = []
                if time.monotonic() - claimed_at > CLAIM_EVERY_S:
                    claimed_at = time.monotonic()
                    reply = await self.client.xautoclaim(
                        self.stream, self.GROUP, consumer, CLAIM_IDLE_MS, "0-0", count=BATCH_SIZE
                    )
                    entries = reply[1]
                if not entries:
                    # While files wait, only a short look: they are written once the queue rests.
                    wait_ms = 50 if self.files.unwritten else 1000
                    read = await self.client.xreadgroup(
                        self.GROUP, consumer, {self.stream: ">"}, count=BATCH_SIZE, block=wait_ms
                    )
                    entries = read[0][1] if read else []
                if entries:
                    self.files.busy()
                    await self._process(entries)
                elif self.files.due():
                    await self.files.write(FILES_PER_TURN)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("the join drainer failed; retrying in a second")
                await asyncio.sleep(1)

    async def _process(self, entries: list[Any]) -> None:
        ids = [entry_id for entry_id, _fields in entries]
        jobs = [Job.unpack(fields[b"job"]) for _entry_id, fields in entries if fields and b"job" in fields]
        statuses, frames = await run_batch(jobs, self.files)
        self.announcing.then(self._announce(ids, jobs, statuses, frames))

    async def _announce(self, ids: list[Any], jobs: list[Job], statuses: Statuses, frames: broadcast.Outgoing) -> None:
        """The screens first, then the phones (their receipts), then the stream entries are done."""
        await broadcast.send_collected(frames)
        async with self.client.pipeline(transaction=False) as pipe:
            for receipt, status in statuses.items():
                pipe.set(self._receipt_key(receipt), json.dumps(status), ex=RECEIPT_SECONDS)
            for job in jobs:
                pipe.eval(_RELEASE, 1, self._dedupe_key(job.key), job.receipt)
            pipe.xack(self.stream, self.GROUP, *ids)
            pipe.xdel(self.stream, *ids)
            pipe.publish(self.channel, json.dumps(statuses))
            await pipe.execute()
        self.waiting.resolve(statuses)

    async def _listen(self) -> None:
        pubsub = self.client.pubsub()
        try:
            await pubsub.subscribe(self.channel)
            self.listening.set()
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=30)
                if message and message.get("type") == "message":
                    self.waiting.resolve(json.loads(message["data"]))
        finally:
            self.listening.clear()
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    async def status(self, receipt: str) -> dict[str, Any] | None:
        """Lookups of the same turn of the loop go to Redis as one MGET."""
        future: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        self.lookups.append((receipt, future))
        if not self.lookup_scheduled:
            self.lookup_scheduled = True
            asyncio.get_running_loop().create_task(self._look_up())
        return await future

    async def _look_up(self) -> None:
        await asyncio.sleep(0)
        batch, self.lookups, self.lookup_scheduled = self.lookups, [], False
        try:
            values = await self.client.mget([self._receipt_key(receipt) for receipt, _future in batch])
        except (redis.RedisError, OSError) as error:
            for _receipt, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        for (_receipt, future), raw in zip(batch, values, strict=True):
            if not future.done():
                future.set_result(json.loads(raw) if raw else None)

    async def wait(self, receipt: str, timeout: float) -> dict[str, Any] | None:
        self.start()
        if self.listener is None or self.listener.done():
            self.listener = asyncio.get_running_loop().create_task(self._listen())
        future = self.waiting.add(receipt)
        try:
            # Subscribed before looking, so a result published in between is not missed.
            await asyncio.wait_for(self.listening.wait(), timeout)
            status = await self.status(receipt)
            if status is None or status["status"] != "queued":
                return status
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return await self.status(receipt)
        finally:
            self.waiting.remove(receipt, future)


async def _stop(task: "asyncio.Task[None] | None") -> None:
    """Lets a drainer told to stop finish the batch in hand; cancels it past STOP_SECONDS."""
    if task is not None and not task.done():
        try:
            await asyncio.wait_for(asyncio.shield(task), STOP_SECONDS)
        except TimeoutError:
            log.warning("the join drainer did not stop within %d s; cancelling it", STOP_SECONDS)
            await _cancel(task)
        except Exception:
            log.exception("the join drainer failed while stopping")


async def _cancel(*tasks: "asyncio.Task[None] | None") -> None:
    for task in tasks:
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


_QUEUES: dict[Any, LocalJoinQueue | RedisJoinQueue] = {}


async def close_queue() -> None:
    """Stop this loop's drainer and listener and write the files still waiting (a test's end)."""
    queue = _QUEUES.pop(asyncio.get_running_loop(), None)
    if queue is not None:
        await queue.close()


def get_queue() -> LocalJoinQueue | RedisJoinQueue:
    """One queue per event loop (a uvicorn worker has one; each async test has its own)."""
    loop = asyncio.get_running_loop()
    queue = _QUEUES.get(loop)
    if queue is None:
        for old in [old for old in _QUEUES if old.is_closed()]:
            del _QUEUES[old]
        queue = RedisJoinQueue(settings.REDIS_URL) if settings.REDIS_URL else LocalJoinQueue()
        _QUEUES[loop] = queue
    return queue


@cache
def _sync_redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


def receipt_status(receipt: str) -> dict[str, Any] | None:
    """For Django views (the "you are on the screen" page after a lean join)."""
    if settings.REDIS_URL:
        raw = _sync_redis(settings.REDIS_URL).get(f"{_prefix()}receipt:{receipt}")
        return json.loads(raw) if raw else None
    return _LOCAL_STATUSES.get(receipt)
