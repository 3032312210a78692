package types

import (
	"encoding/json"
	"strconv"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// EventRecordAppendedType is EventRecordAppended's proto message name, the
// type of the ABCI event it becomes.
const EventRecordAppendedType = "vinhub.vehicle.v1.EventRecordAppended"

// Event is the ABCI event sdk.TypedEventToEvent makes of e, built field by
// field. Every record the hub accepts emits one, and jsonpb's reflection
// cost about a third of a record's execution (docs/benchmarks.md, run 25).
// The type, the attributes, their (sorted) order and their JSON values are
// the same as jsonpb's, so sdk.ParseTypedEvent and every reader of the typed
// event see no difference.
func (e *EventRecordAppended) Event() sdk.Event {
	// sdk.TypedEventToEvent sorts the attributes by key.
	return sdk.NewEvent(EventRecordAppendedType,
		sdk.NewAttribute("dealer_id", jsonString(e.DealerId)),
		sdk.NewAttribute("flags", flagsJSON(e.Flags)),
		sdk.NewAttribute("id", jsonUint64(e.Id)),
		sdk.NewAttribute("kind", jsonEnum(int32(e.Kind), RecordKind_name)),
		sdk.NewAttribute("odometer_km", jsonUint64(e.OdometerKm)),
		sdk.NewAttribute("vin", jsonString(e.Vin)),
	)
}

// jsonString is s as jsonpb writes a string field: encoding/json's quoting.
func jsonString(s string) string {
	bz, err := json.Marshal(s)
	if err != nil { // unreachable: a string always marshals
		panic(err)
	}
	return string(bz)
}

// jsonUint64 is v as jsonpb writes a 64-bit integer: a quoted decimal, so
// that JavaScript readers keep every digit.
func jsonUint64(v uint64) string {
	return `"` + strconv.FormatUint(v, 10) + `"`
}

// jsonEnum is an enum value as jsonpb writes it: its quoted name, or its bare
// number when the enum does not name it.
func jsonEnum(v int32, names map[int32]string) string {
	name, ok := names[v]
	if !ok {
		return strconv.FormatInt(int64(v), 10)
	}
	return `"` + name + `"`
}

// flagsJSON is a repeated FlagCode as jsonpb writes it with EmitDefaults: a
// JSON array, "[]" when empty.
func flagsJSON(flags []FlagCode) string {
	out := "["
	for i, f := range flags {
		if i > 0 {
			out += ","
		}
		out += jsonEnum(int32(f), FlagCode_name)
	}
	return out + "]"
}
