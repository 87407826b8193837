"""Completed assessments and forgetting a person: the part of `InterviewStore` that reads
and deletes records rather than stepping an interview."""

from __future__ import annotations

import redis

from conversations.state import AssessmentRecord
from conversations.storage import keys
from conversations.storage._redis import as_str, redis_errors
from conversations.storage.keys import ThreadKey

__all__ = ["AssessmentRecords"]


class AssessmentRecords:
    """Each completed assessment under `ragft:{T}:assessment:<id>`, a person's set of them,
    and the deletion of everything stored about a person (forget-me)."""

    client: redis.Redis

    def get_assessment(self, team: str, assessment_id: str) -> AssessmentRecord | None:
        """One completed assessment, or None."""
        with redis_errors():
            raw = self.client.get(keys.assessment(team, assessment_id))
        return None if raw is None else AssessmentRecord.model_validate_json(raw)

    def list_assessments(self, team: str, user: str) -> list[AssessmentRecord]:
        """The user's completed assessments, oldest first."""
        with redis_errors():
            ids = sorted(as_str(i) for i in self.client.smembers(keys.user_assessments(team, user)))
            raws = self.client.mget([keys.assessment(team, i) for i in ids]) if ids else []
        records = [AssessmentRecord.model_validate_json(r) for r in raws if r is not None]
        return sorted(records, key=lambda r: (r.created_at, r.assessment_id))

    def save_assessment(self, record: AssessmentRecord) -> None:
        """Store a completed assessment as given (e.g. a revisit status update)."""
        with redis_errors():
            pipe = self.client.pipeline(transaction=True)
            pipe.set(keys.assessment(record.team, record.assessment_id), record.model_dump_json())
            pipe.sadd(keys.user_assessments(record.team, record.owner), record.assessment_id)
            pipe.execute()

    def forget_user(self, team: str, user: str) -> int:
        """Delete everything stored about a user in a team; returns how many keys went."""
        interviews = keys.user_interviews(team, user)
        assessments = keys.user_assessments(team, user)
        threads = self._threads_of(team, user)
        with redis_errors():
            ids = [as_str(i) for i in self.client.smembers(assessments)]
            doomed = {interviews, assessments}
            for where in threads:
                doomed.update(self._thread_keys(where))
            for assessment_id in ids:
                record = self.get_assessment(team, assessment_id)
                doomed.add(keys.assessment(team, assessment_id))
                doomed.add(keys.decision(team, assessment_id))
                if record is not None:
                    where = ThreadKey(team, record.channel, record.thread_ts)
                    doomed.update(self._thread_keys(where))
            if ids:  # a deleted decision is not revisited
                self.client.hdel(keys.revisit_outbox(team), *ids)
            self._forget_owed(team, threads)
            return int(self.client.delete(*doomed))

    def rewrite_log(self) -> bool:
        """Ask Redis to rewrite its append-only file, so that deleted data leaves the disk.

        False when Redis refuses (a managed Redis without the command, or a rewrite already
        running, which then includes the deletion anyway).
        """
        try:
            with redis_errors():
                self.client.bgrewriteaof()
        except redis.ResponseError:
            return False
        return True

    def _forget_owed(self, team: str, threads: list[ThreadKey]) -> None:
        """Drop the sweeper's entries of these threads (their marks are being deleted)."""
        prefixes = tuple(f"step {team} {w.channel} {w.thread_ts} " for w in threads)
        members = [as_str(m) for m in self.client.zrange(keys.owed(team), 0, -1)]
        gone = [m for m in members if m.startswith(prefixes)]
        if gone:
            pipe = self.client.pipeline(transaction=True)
            pipe.zrem(keys.owed(team), *gone)
            pipe.hdel(keys.owed_tries(team), *gone)
            pipe.execute()

    def _threads_of(self, team: str, user: str) -> list[ThreadKey]:
        """The threads in the user's interviews set, in a stable order."""
        with redis_errors():
            found = self.client.smembers(keys.user_interviews(team, user))
        parts = sorted(as_str(m).partition(" ") for m in found)
        return [ThreadKey(team, channel, thread_ts) for channel, _, thread_ts in parts]

    def _thread_keys(self, where: ThreadKey) -> list[str]:
        deliveries = [as_str(k) for k in self.client.scan_iter(match=where.delivery_pattern)]
        return [where.state, where.asks, *deliveries]
