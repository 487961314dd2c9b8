-- Who is cleared for which plan, judged in one place: every read that
-- grants access to a plan (a member's role, the plans a user is on, the
-- portfolio's and my-actions' joins) reads cleared_members, never
-- plan_members, so access follows vetting everywhere alike. plan_members
-- keeps every member: one whose vetting lapsed stays on the plan (its LRO
-- sees why they cannot open it) and is cleared again once renewed.

-- The rank each plan needs: the greater of what its marking implies
-- (markings not listed need nothing) and what its LRO raised it to (a
-- raised level no longer configured shuts the plan rather than opening it).
CREATE VIEW plan_vetting AS
SELECT p.id AS plan_id,
       GREATEST(COALESCE(implied.rank, 0),
                CASE WHEN p.vetting_level IS NULL THEN 0 ELSE COALESCE(raised.rank, 2147483647) END) AS needed_rank
FROM plans p
LEFT JOIN vetting_by_marking m ON m.marking = p.summary->>'marking'
LEFT JOIN vetting_levels implied ON implied.name = m.level
LEFT JOIN vetting_levels raised ON raised.name = p.vetting_level;

-- Every person against every plan (always read for one plan or one person):
-- what the plan needs, what they hold (a level no longer configured counts
-- as none), whether it has expired, and so whether they are cleared. A plan
-- that needs nothing clears everyone; expired vetting counts as none.
CREATE VIEW vetting_clearances AS
SELECT v.plan_id, u.id AS user_id, v.needed_rank,
       COALESCE(l.rank, 0) AS user_rank,
       u.vetting_expires_at AS expires_at,
       (u.vetting_expires_at IS NOT NULL AND u.vetting_expires_at <= now()) AS expired,
       (v.needed_rank = 0
        OR (COALESCE(l.rank, 0) >= v.needed_rank
            AND (u.vetting_expires_at IS NULL OR u.vetting_expires_at > now()))) AS cleared
FROM plan_vetting v, users u
LEFT JOIN vetting_levels l ON l.name = u.vetting_level;

-- The members who may open their plan now.
CREATE VIEW cleared_members AS
SELECT m.plan_id, m.user_id, m.role, m.added_at
FROM plan_members m
JOIN vetting_clearances c ON c.plan_id = m.plan_id AND c.user_id = m.user_id
WHERE c.cleared;
