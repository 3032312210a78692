package indexer

import (
	"fmt"

	"github.com/cosmos/gogoproto/proto"

	assettypes "github.com/vinhub/vinhub/x/asset/types"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// migrations are the warehouse's schema, one step per version: migration i
// takes a schema from version i to i+1. A released migration is never
// edited; a change is a new step appended here (docs/warehouse.md).
// Statements run with search_path set to the warehouse's schema, so names
// are unqualified.
var migrations = []string{
	// 1: facts as the hub emitted them, one table per kind of fact. Every
	// table is append-only and keyed by where the fact sits in the chain
	// (height, event_index) or by the chain's own id, so a rebuild writes
	// the same rows and a replayed block cannot add a second copy.
	`
CREATE TABLE index_state (
	singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
	chain_id   text        NOT NULL,
	height     bigint      NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE blocks (
	height   bigint      PRIMARY KEY,
	time     timestamptz NOT NULL,
	app_hash text        NOT NULL,
	txs      integer     NOT NULL,
	failed   integer     NOT NULL
);
CREATE TABLE vehicles (
	vin          text   PRIMARY KEY,
	first_height bigint NOT NULL
);
CREATE TABLE records (
	record_id         bigint      PRIMARY KEY,
	vin               text        NOT NULL,
	dealer_id         text        NOT NULL,
	reporter          text        NOT NULL,
	kind              text        NOT NULL,
	odometer_km       bigint      NOT NULL,
	flags             text[]      NOT NULL,
	occurred_at       timestamptz,
	recorded_at       timestamptz NOT NULL,
	height            bigint      NOT NULL,
	origin_chain_id   text,
	origin_route      text,
	origin_sequence   bigint,
	origin_dealer_record_id bigint,
	ledger_id         text,
	ledger_record_ref text,
	attestation_id    text
);
CREATE INDEX records_vin ON records (vin, record_id);
CREATE TABLE dealer_events (
	height      bigint  NOT NULL,
	event_index integer NOT NULL,
	dealer_id   text    NOT NULL,
	event       text    NOT NULL,
	name        text,
	account     text,
	reporter    text,
	PRIMARY KEY (height, event_index)
);
CREATE TABLE dealer_bindings (
	height      bigint  NOT NULL,
	event_index integer NOT NULL,
	dealer_id   text    NOT NULL,
	route       text    NOT NULL,
	chain_id    text,
	bound       boolean NOT NULL,
	PRIMARY KEY (height, event_index)
);
CREATE TABLE liens (
	lien_id          bigint      PRIMARY KEY,
	vin              text        NOT NULL,
	holder_chain_id  text        NOT NULL,
	holder_dealer_id text        NOT NULL,
	holder_module    text        NOT NULL,
	holder_lender    text        NOT NULL,
	holder_reference text        NOT NULL,
	authorized_by    text        NOT NULL,
	granted_height   bigint      NOT NULL,
	granted_at       timestamptz NOT NULL
);
CREATE INDEX liens_vin ON liens (vin);
CREATE TABLE lien_releases (
	lien_id         bigint      PRIMARY KEY,
	reason          text        NOT NULL,
	forced_by       text,
	released_height bigint      NOT NULL,
	released_at     timestamptz NOT NULL
);
CREATE TABLE lien_refusals (
	height             bigint  NOT NULL,
	event_index        integer NOT NULL,
	vin                text    NOT NULL,
	requested_chain_id  text   NOT NULL,
	requested_dealer_id text   NOT NULL,
	requested_module    text   NOT NULL,
	requested_lender    text   NOT NULL,
	requested_reference text   NOT NULL,
	held_lien_id       bigint,
	code               integer NOT NULL,
	asset_id           bigint,
	PRIMARY KEY (height, event_index)
);
CREATE TABLE refused_txs (
	height    bigint  NOT NULL,
	tx_index  integer NOT NULL,
	tx_hash   text    NOT NULL,
	codespace text    NOT NULL,
	code      integer NOT NULL,
	log       text    NOT NULL,
	msg_type  text    NOT NULL,
	signer    text,
	asset_id  bigint,
	loan_id   bigint,
	PRIMARY KEY (height, tx_index)
);
CREATE TABLE assets (
	asset_id       bigint PRIMARY KEY,
	kind           text   NOT NULL,
	owner          text   NOT NULL,
	vin            text,
	applied_height bigint NOT NULL
);
CREATE TABLE asset_events (
	height      bigint  NOT NULL,
	event_index integer NOT NULL,
	asset_id    bigint  NOT NULL,
	event       text    NOT NULL,
	actor       text,
	counterparty text,
	amount      numeric,
	denom       text,
	loan_id     bigint,
	detail      text,
	PRIMARY KEY (height, event_index)
);
CREATE INDEX asset_events_asset ON asset_events (asset_id, height);
CREATE TABLE loans (
	loan_id          bigint  PRIMARY KEY,
	asset_id         bigint  NOT NULL,
	lender           text    NOT NULL,
	borrower         text    NOT NULL,
	principal        numeric NOT NULL,
	denom            text    NOT NULL,
	offered_height   bigint  NOT NULL
);
CREATE TABLE loan_events (
	height         bigint  NOT NULL,
	event_index    integer NOT NULL,
	loan_id        bigint  NOT NULL,
	event          text    NOT NULL,
	amount         numeric,
	denom          text,
	lien_id        bigint,
	maturity       timestamptz,
	late           boolean,
	attestation_id text,
	PRIMARY KEY (height, event_index)
);
CREATE INDEX loan_events_loan ON loan_events (loan_id, height);
CREATE TABLE credit_score_changes (
	height      bigint  NOT NULL,
	event_index integer NOT NULL,
	address     text    NOT NULL,
	old_score   integer NOT NULL,
	new_score   integer NOT NULL,
	reason      text    NOT NULL,
	detail      text    NOT NULL,
	PRIMARY KEY (height, event_index)
);
CREATE TABLE htlc_events (
	height      bigint  NOT NULL,
	event_index integer NOT NULL,
	htlc_id     text    NOT NULL,
	event       text    NOT NULL,
	sender      text,
	recipient   text,
	amount      text,
	asset_id    bigint,
	hash_lock   text,
	secret      text,
	expiry      timestamptz,
	automatic   boolean,
	PRIMARY KEY (height, event_index)
);
CREATE TABLE attestation_events (
	height         bigint  NOT NULL,
	event_index    integer NOT NULL,
	attestation_id text    NOT NULL,
	source_key     text    NOT NULL,
	event          text    NOT NULL,
	operator       text,
	signatures     integer,
	threshold      integer,
	status         text,
	result         text,
	PRIMARY KEY (height, event_index)
);
-- Extension points for issue 15 (sealed fields, evidence anchoring): the
-- tables exist so views and BI tools can be written against them now; the
-- mapping fills them once the hub emits the events. A sealed record's
-- commitments are indexed, never its plaintext.
CREATE TABLE sealed_commitments (
	height      bigint  NOT NULL,
	event_index integer NOT NULL,
	record_id   bigint  NOT NULL,
	field       text    NOT NULL,
	commitment  text    NOT NULL,
	PRIMARY KEY (height, event_index, field)
);
CREATE TABLE evidence_anchors (
	hash         text        PRIMARY KEY,
	anchored_by  text        NOT NULL,
	height       bigint      NOT NULL,
	anchored_at  timestamptz NOT NULL
);
`,
	// 2: the regulators' views (docs/warehouse.md, "Views").
	fmt.Sprintf(`
CREATE VIEW active_liens AS
SELECT l.* FROM liens l LEFT JOIN lien_releases r USING (lien_id) WHERE r.lien_id IS NULL;

CREATE VIEW active_liens_by_holder AS
SELECT CASE WHEN holder_module <> '' THEN 'hub:' || holder_module ELSE holder_chain_id || '/' || holder_dealer_id END AS holder,
	holder_lender AS lender, count(*) AS liens, array_agg(vin ORDER BY vin) AS vins
FROM active_liens GROUP BY 1, 2;

CREATE VIEW defaults_by_month AS
SELECT date_trunc('month', b.time) AS month, count(*) AS defaults, l.denom, sum(l.principal) AS principal
FROM loan_events e JOIN blocks b USING (height) JOIN loans l USING (loan_id)
WHERE e.event = 'defaulted' GROUP BY 1, 3;

CREATE VIEW flagged_odometers_by_dealer AS
SELECT dealer_id, count(*) AS flagged_records, count(DISTINCT vin) AS vins, max(height) AS last_height
FROM records WHERE 'FLAG_CODE_ODOMETER_ROLLBACK' = ANY (flags) GROUP BY dealer_id;

-- Lien requests refused because the VIN was already liened (x/vehicle
-- ErrLienHeld): over IBC the refusal is a committed answer and its
-- EventLienRefused survives; on the hub the pledge or purchase fails, its
-- events are discarded and the tx result's codespace and code remain.
CREATE VIEW refused_double_pledges AS
SELECT f.height, b.time, 'ibc' AS path, f.vin,
	CASE WHEN f.requested_module <> '' THEN 'hub:' || f.requested_module ELSE f.requested_chain_id || '/' || f.requested_dealer_id END AS requested_by,
	f.requested_lender AS lender, f.held_lien_id, NULL::text AS tx_hash
FROM lien_refusals f JOIN blocks b USING (height) WHERE f.code = %[2]d
UNION ALL
SELECT t.height, b.time, 'hub', a.vin, t.signer, lo.lender,
	(SELECT l.lien_id FROM liens l LEFT JOIN lien_releases r USING (lien_id)
	 WHERE l.vin = a.vin AND l.granted_height <= t.height AND (r.lien_id IS NULL OR r.released_height > t.height)
	 ORDER BY l.lien_id DESC LIMIT 1),
	t.tx_hash
FROM refused_txs t JOIN blocks b USING (height)
	LEFT JOIN loans lo ON lo.loan_id = t.loan_id
	LEFT JOIN assets a ON a.asset_id = coalesce(t.asset_id, lo.asset_id)
WHERE t.codespace = '%[1]s' AND t.code = %[2]d;

CREATE VIEW loan_state AS
SELECT l.*, (SELECT e.event FROM loan_events e WHERE e.loan_id = l.loan_id ORDER BY e.height DESC, e.event_index DESC LIMIT 1) AS status
FROM loans l;

CREATE VIEW loan_book AS
SELECT lender, denom, count(*) AS open_loans, sum(principal) AS open_principal
FROM loan_state WHERE status = 'pledged' GROUP BY lender, denom;

CREATE VIEW vehicle_timeline AS
SELECT r.vin, r.height, b.time, 'record' AS fact, r.kind || ' ' || r.odometer_km || ' km' ||
	CASE WHEN cardinality(r.flags) > 0 THEN ' flagged ' || array_to_string(r.flags, ',') ELSE '' END AS detail
FROM records r JOIN blocks b USING (height)
UNION ALL
SELECT l.vin, l.granted_height, l.granted_at, 'lien granted', 'lien ' || l.lien_id || ' to ' ||
	CASE WHEN l.holder_module <> '' THEN 'hub:' || l.holder_module ELSE l.holder_chain_id || '/' || l.holder_dealer_id END || ' ' || l.holder_reference
FROM liens l
UNION ALL
SELECT l.vin, r.released_height, r.released_at, 'lien released', 'lien ' || l.lien_id || ': ' || r.reason
FROM lien_releases r JOIN liens l USING (lien_id)
UNION ALL
SELECT f.vin, f.height, b.time, 'lien refused', 'code ' || f.code || ' for ' || f.requested_chain_id || '/' || f.requested_dealer_id
FROM lien_refusals f JOIN blocks b USING (height)
UNION ALL
SELECT a.vin, e.height, b.time, 'asset ' || e.event, 'asset ' || a.asset_id || coalesce(' by ' || e.actor, '')
FROM asset_events e JOIN assets a USING (asset_id) JOIN blocks b USING (height) WHERE a.vin IS NOT NULL;
`, vehicletypes.ErrLienHeld.Codespace(), vehicletypes.ErrLienHeld.ABCICode()),
	// 3: the facts issue 15 added to the hub (evidence anchoring, sealed
	// envelopes, encryption keys) and issue 14's ownership records. The
	// extension tables of migration 1 were never written by any vinindex,
	// so they are reshaped in place. Blocks a version-2 vinindex already
	// applied keep no such facts: migration_gaps says up to which height,
	// and a rebuild fills them (docs/warehouse.md, "Migrating").
	`
CREATE TABLE migration_gaps (
	version        integer PRIMARY KEY,
	indexed_height bigint  NOT NULL
);
INSERT INTO migration_gaps (version, indexed_height) SELECT 3, height FROM index_state;

ALTER TABLE evidence_anchors RENAME COLUMN anchored_by TO submitter;
ALTER TABLE evidence_anchors
	ADD COLUMN event_index integer NOT NULL,
	ADD COLUMN kind        text    NOT NULL,
	ADD COLUMN vin         text,
	ADD COLUMN source      text;
CREATE INDEX evidence_anchors_vin ON evidence_anchors (vin) WHERE vin IS NOT NULL;

-- One row per committed field of a sealed envelope, keyed by the event that
-- stored the envelope; the digest is public on chain, the value is not.
ALTER TABLE sealed_commitments ALTER COLUMN record_id DROP NOT NULL;
ALTER TABLE sealed_commitments
	ADD COLUMN subject          text    NOT NULL,
	ADD COLUMN envelope_version integer NOT NULL,
	ADD COLUMN asset_id         bigint,
	ADD COLUMN loan_id          bigint;
CREATE TABLE sealed_recipients (
	height      bigint  NOT NULL,
	event_index integer NOT NULL,
	subject     text    NOT NULL,
	record_id   bigint,
	asset_id    bigint,
	loan_id     bigint,
	address     text    NOT NULL,
	key_version integer NOT NULL,
	PRIMARY KEY (height, event_index, address, key_version)
);
CREATE INDEX sealed_recipients_address ON sealed_recipients (address);

ALTER TABLE records
	ADD COLUMN title_module    text,
	ADD COLUMN title_reference text,
	ADD COLUMN title_asset_id  bigint,
	ADD COLUMN title_from      text,
	ADD COLUMN title_to        text,
	ADD COLUMN title_cause     text;

CREATE TABLE encryption_keys (
	height            bigint  NOT NULL,
	event_index       integer NOT NULL,
	address           text    NOT NULL,
	version           integer NOT NULL,
	set_by_governance boolean NOT NULL,
	PRIMARY KEY (height, event_index)
);
CREATE TABLE role_events (
	height      bigint  NOT NULL,
	event_index integer NOT NULL,
	address     text    NOT NULL,
	role        text    NOT NULL,
	granted     boolean NOT NULL,
	PRIMARY KEY (height, event_index)
);

-- Each account's current encryption key version (the highest registered;
-- older versions stay valid for what was sealed to them) and whether the
-- account holds the regulator role now.
CREATE VIEW encryption_key_holders AS
SELECT DISTINCT ON (k.address) k.address, k.version AS current_version, k.height AS registered_height,
	k.set_by_governance,
	coalesce((SELECT r.granted FROM role_events r WHERE r.address = k.address AND r.role = 'ROLE_REGULATOR'
		ORDER BY r.height DESC, r.event_index DESC LIMIT 1), false) AS regulator
FROM encryption_keys k ORDER BY k.address, k.version DESC;

CREATE VIEW ownership_changes AS
SELECT r.vin, r.record_id, r.height, r.recorded_at AS time, r.title_asset_id AS asset_id, r.title_from AS from_owner,
	r.title_to AS to_owner, r.title_cause AS cause, r.title_module AS module, r.title_reference AS reference
FROM records r WHERE r.title_cause IS NOT NULL;

CREATE OR REPLACE VIEW vehicle_timeline AS
SELECT r.vin, r.height, b.time, 'record' AS fact, r.kind || ' ' || r.odometer_km || ' km' ||
	CASE WHEN cardinality(r.flags) > 0 THEN ' flagged ' || array_to_string(r.flags, ',') ELSE '' END AS detail
FROM records r JOIN blocks b USING (height) WHERE r.title_cause IS NULL
UNION ALL
SELECT o.vin, o.height, o.time, 'ownership change', 'asset ' || o.asset_id || ' from ' || o.from_owner || ' to ' ||
	coalesce(o.to_owner, 'off hub') || ' (' || o.cause || ', ' || o.module || ' ' || o.reference || ')'
FROM ownership_changes o
UNION ALL
SELECT l.vin, l.granted_height, l.granted_at, 'lien granted', 'lien ' || l.lien_id || ' to ' ||
	CASE WHEN l.holder_module <> '' THEN 'hub:' || l.holder_module ELSE l.holder_chain_id || '/' || l.holder_dealer_id END || ' ' || l.holder_reference
FROM liens l
UNION ALL
SELECT l.vin, r.released_height, r.released_at, 'lien released', 'lien ' || l.lien_id || ': ' || r.reason
FROM lien_releases r JOIN liens l USING (lien_id)
UNION ALL
SELECT f.vin, f.height, b.time, 'lien refused', 'code ' || f.code || ' for ' || f.requested_chain_id || '/' || f.requested_dealer_id
FROM lien_refusals f JOIN blocks b USING (height)
UNION ALL
SELECT a.vin, e.height, b.time, 'asset ' || e.event, 'asset ' || a.asset_id || coalesce(' by ' || e.actor, '')
FROM asset_events e JOIN assets a USING (asset_id) JOIN blocks b USING (height) WHERE a.vin IS NOT NULL
UNION ALL
SELECT e.vin, e.height, e.anchored_at, 'evidence anchored', e.kind || ' ' || e.hash || ' by ' || e.submitter ||
	coalesce(' via ' || nullif(e.source, ''), '')
FROM evidence_anchors e WHERE e.vin IS NOT NULL;
`,
	// 4: the genesis state, applied as the height before the first block
	// (docs/warehouse.md, "Genesis"). Its facts go to the fact tables;
	// what no fact table takes (params, notary sets, credit profiles, ...)
	// to genesis_entries. A warehouse a version-3 vinindex filled holds no
	// genesis: migration_gaps says so, and a rebuild fills it.
	// refused_double_pledges keeps, of the hub's transactions refused with
	// ErrLienHeld, only those that asked for a lien (a pledge, a purchase
	// on credit, a title locked in an HTLC): a transfer, a redemption or a
	// cash purchase of a liened car is refused with the same code but
	// pledges nothing (TestRealHubRefusedDoublePledge).
	fmt.Sprintf(`
CREATE OR REPLACE VIEW refused_double_pledges AS
SELECT f.height, b.time, 'ibc' AS path, f.vin,
	CASE WHEN f.requested_module <> '' THEN 'hub:' || f.requested_module ELSE f.requested_chain_id || '/' || f.requested_dealer_id END AS requested_by,
	f.requested_lender AS lender, f.held_lien_id, NULL::text AS tx_hash
FROM lien_refusals f JOIN blocks b USING (height) WHERE f.code = %[2]d
UNION ALL
SELECT t.height, b.time, 'hub', a.vin, t.signer, lo.lender,
	(SELECT l.lien_id FROM liens l LEFT JOIN lien_releases r USING (lien_id)
	 WHERE l.vin = a.vin AND l.granted_height <= t.height AND (r.lien_id IS NULL OR r.released_height > t.height)
	 ORDER BY l.lien_id DESC LIMIT 1),
	t.tx_hash
FROM refused_txs t JOIN blocks b USING (height)
	LEFT JOIN loans lo ON lo.loan_id = t.loan_id
	LEFT JOIN assets a ON a.asset_id = coalesce(t.asset_id, lo.asset_id)
WHERE t.codespace = '%[1]s' AND t.code = %[2]d
	AND (t.msg_type IN ('/%[3]s', '/%[5]s') OR (t.msg_type = '/%[4]s' AND t.loan_id IS NOT NULL));

CREATE TABLE genesis_entries (
	module   text    NOT NULL,
	field    text    NOT NULL,
	position integer NOT NULL,
	value    jsonb   NOT NULL,
	PRIMARY KEY (module, field, position)
);
INSERT INTO migration_gaps (version, indexed_height) SELECT 4, height FROM index_state;
`, vehicletypes.ErrLienHeld.Codespace(), vehicletypes.ErrLienHeld.ABCICode(), proto.MessageName(&assettypes.MsgPledge{}),
		proto.MessageName(&assettypes.MsgBuy{}), proto.MessageName(&htlctypes.MsgLock{})),
}

// SchemaVersion is the schema version this build of vinindex writes.
var SchemaVersion = len(migrations)
