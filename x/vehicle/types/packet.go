package types

import (
	errorsmod "cosmossdk.io/errors"

	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
)

// Packet limits that hold whatever the hub's params say, so a decoder never
// works on unbounded input.
const (
	// MaxPacketDataBytes bounds an encoded packet: MaxRecordsPerBatchCeiling
	// records of the largest allowed size fit well inside it.
	MaxPacketDataBytes = 32 << 20
	// MaxReporterLength bounds the dealer chain's reporter address string.
	MaxReporterLength = 128
)

// NewRecordBatchPacketData wraps a record batch as vehicle packet data.
func NewRecordBatchPacketData(dealerID string, records []PacketRecord) VehiclePacketData {
	return VehiclePacketData{Packet: &VehiclePacketData_RecordBatch{RecordBatch: &RecordBatchPacket{DealerId: dealerID, Records: records}}}
}

// NewLienRequestPacketData wraps a lien request as vehicle packet data.
func NewLienRequestPacketData(req LienRequestPacket) VehiclePacketData {
	return VehiclePacketData{Packet: &VehiclePacketData_LienRequest{LienRequest: &req}}
}

// NewLienReleasePacketData wraps a lien release as vehicle packet data.
func NewLienReleasePacketData(rel LienReleasePacket) VehiclePacketData {
	return VehiclePacketData{Packet: &VehiclePacketData_LienRelease{LienRelease: &rel}}
}

// DecodePacketData decodes and validates the data of a packet on port
// "vehicle". Every error is registered in this module's codespace.
func DecodePacketData(bz []byte) (VehiclePacketData, error) {
	var data VehiclePacketData
	if len(bz) == 0 {
		return data, errorsmod.Wrap(ErrInvalidPacketData, "empty packet data")
	}
	if len(bz) > MaxPacketDataBytes {
		return data, errorsmod.Wrapf(ErrInvalidPacketData, "%d bytes; packets are limited to %d", len(bz), MaxPacketDataBytes)
	}
	if err := data.Unmarshal(bz); err != nil {
		return VehiclePacketData{}, errorsmod.Wrapf(ErrInvalidPacketData, "not a protobuf VehiclePacketData: %s", err)
	}
	return data, data.ValidateBasic()
}

// ValidateBasic checks the packet type and its content without chain state.
func (d VehiclePacketData) ValidateBasic() error {
	switch p := d.Packet.(type) {
	case *VehiclePacketData_RecordBatch:
		if p.RecordBatch == nil {
			return errorsmod.Wrap(ErrInvalidPacketData, "record_batch is empty")
		}
		return p.RecordBatch.ValidateBasic()
	case *VehiclePacketData_LienRequest:
		if p.LienRequest == nil {
			return errorsmod.Wrap(ErrInvalidPacketData, "lien_request is empty")
		}
		return p.LienRequest.ValidateBasic()
	case *VehiclePacketData_LienRelease:
		if p.LienRelease == nil {
			return errorsmod.Wrap(ErrInvalidPacketData, "lien_release is empty")
		}
		return p.LienRelease.ValidateBasic()
	default:
		return errorsmod.Wrap(ErrUnknownPacketType, "packet data sets no packet type this hub knows (vinhub-vehicle-1 knows record_batch, lien_request, lien_release)")
	}
}

// ValidateBasic checks a lien request: a valid dealer id, a VIN the record
// rules accept, a bech32 lender and a bounded reference.
func (p LienRequestPacket) ValidateBasic() error {
	if err := ValidateDealerID(p.DealerId); err != nil {
		return errorsmod.Wrap(ErrInvalidPacketData, err.Error())
	}
	if _, err := ParseVIN(p.Vin); err != nil {
		return errorsmod.Wrap(ErrInvalidPacketData, err.Error())
	}
	if err := ValidateLender(p.Lender); err != nil {
		return errorsmod.Wrap(ErrInvalidPacketData, err.Error())
	}
	if len(p.Reference) > MaxLienReferenceLength || !printableASCII(p.Reference) {
		return errorsmod.Wrapf(ErrInvalidPacketData, "reference %q: at most %d printable ASCII characters, no spaces", p.Reference, MaxLienReferenceLength)
	}
	return nil
}

// ValidateBasic checks a lien release: a valid dealer id, a lien id and a bounded reason.
func (p LienReleasePacket) ValidateBasic() error {
	if err := ValidateDealerID(p.DealerId); err != nil {
		return errorsmod.Wrap(ErrInvalidPacketData, err.Error())
	}
	if p.LienId == 0 {
		return errorsmod.Wrap(ErrInvalidPacketData, "lien_id must be non-zero")
	}
	if err := ValidateLienReason(p.Reason); err != nil {
		return errorsmod.Wrap(ErrInvalidPacketData, err.Error())
	}
	return nil
}

// ValidateBasic checks the batch's shape: a valid dealer id, at least one
// record, unique non-zero dealer record ids and bounded reporter strings.
// Records themselves are validated one by one by the receiver, so one bad
// record is rejected on its own rather than refusing the whole batch.
func (p RecordBatchPacket) ValidateBasic() error {
	if err := ValidateDealerID(p.DealerId); err != nil {
		return errorsmod.Wrap(ErrInvalidPacketData, err.Error())
	}
	if len(p.Records) == 0 {
		return errorsmod.Wrap(ErrEmptyBatch, "a record batch packet needs at least one record")
	}
	if len(p.Records) > MaxRecordsPerBatchCeiling {
		return errorsmod.Wrapf(ErrBatchTooLarge, "%d records; no batch may exceed %d", len(p.Records), MaxRecordsPerBatchCeiling)
	}
	seen := make(map[uint64]struct{}, len(p.Records))
	for i, r := range p.Records {
		if r.DealerRecordId == 0 {
			return errorsmod.Wrapf(ErrInvalidPacketData, "record %d: dealer_record_id must be non-zero", i)
		}
		if _, dup := seen[r.DealerRecordId]; dup {
			return errorsmod.Wrapf(ErrInvalidPacketData, "record %d: dealer_record_id %d appears twice in the batch", i, r.DealerRecordId)
		}
		seen[r.DealerRecordId] = struct{}{}
		if r.Reporter == "" || len(r.Reporter) > MaxReporterLength {
			return errorsmod.Wrapf(ErrInvalidPacketData, "record %d: reporter must be 1-%d bytes", i, MaxReporterLength)
		}
	}
	return nil
}

var _ ibcexported.Acknowledgement = (*VehicleAcknowledgement)(nil)

// NewBatchAck acknowledges an applied record batch with per-record results.
func NewBatchAck(results []PacketRecordResult) *VehicleAcknowledgement {
	return &VehicleAcknowledgement{Response: &VehicleAcknowledgement_RecordBatch{RecordBatch: &RecordBatchAck{Results: results}}}
}

// NewLienRequestAck answers a lien request (granted or refused).
func NewLienRequestAck(ack LienRequestAck) *VehicleAcknowledgement {
	return &VehicleAcknowledgement{Response: &VehicleAcknowledgement_LienRequest{LienRequest: &ack}}
}

// NewLienReleaseAck answers a lien release the hub applied.
func NewLienReleaseAck(ack LienReleaseAck) *VehicleAcknowledgement {
	return &VehicleAcknowledgement{Response: &VehicleAcknowledgement_LienRelease{LienRelease: &ack}}
}

// NewErrorAck refuses a whole packet. It keeps the registered codespace and
// code and the module's own message: every message the module produces is
// deterministic, so the acknowledgement commitment is too.
func NewErrorAck(err error) *VehicleAcknowledgement {
	codespace, code, _ := errorsmod.ABCIInfo(err, false)
	return &VehicleAcknowledgement{Response: &VehicleAcknowledgement_Error{Error: &PacketError{
		Codespace: codespace, Code: code, Message: err.Error(),
	}}}
}

// Success implements ibcexported.Acknowledgement: a refused packet is a
// failure, so IBC v1 core discards any state the callback wrote.
func (a *VehicleAcknowledgement) Success() bool { return a.GetError() == nil }

// Acknowledgement implements ibcexported.Acknowledgement: the protobuf bytes.
func (a *VehicleAcknowledgement) Acknowledgement() []byte {
	bz, err := a.Marshal()
	if err != nil {
		panic(errorsmod.Wrap(err, "marshal vehicle acknowledgement"))
	}
	return bz
}

// DecodeAcknowledgement decodes acknowledgement bytes written by a hub and
// checks that they answer data: one result per record, in order, for a
// batch; an answer of the same kind (and lien, for a release) for a lien packet.
func DecodeAcknowledgement(bz []byte, data VehiclePacketData) (VehicleAcknowledgement, error) {
	var ack VehicleAcknowledgement
	if err := ack.Unmarshal(bz); err != nil {
		return VehicleAcknowledgement{}, errorsmod.Wrapf(ErrInvalidAcknowledgement, "not a protobuf VehicleAcknowledgement: %s", err)
	}
	switch r := ack.Response.(type) {
	case *VehicleAcknowledgement_Error:
		if r.Error == nil {
			return ack, errorsmod.Wrap(ErrInvalidAcknowledgement, "empty error")
		}
		return ack, nil
	case *VehicleAcknowledgement_RecordBatch:
		batch := data.GetRecordBatch()
		if batch == nil || r.RecordBatch == nil {
			return ack, errorsmod.Wrap(ErrInvalidAcknowledgement, "record batch acknowledgement for a packet that is not a record batch")
		}
		if len(r.RecordBatch.Results) != len(batch.Records) {
			return ack, errorsmod.Wrapf(ErrInvalidAcknowledgement, "%d results for %d records", len(r.RecordBatch.Results), len(batch.Records))
		}
		for i, res := range r.RecordBatch.Results {
			if res.DealerRecordId != batch.Records[i].DealerRecordId {
				return ack, errorsmod.Wrapf(ErrInvalidAcknowledgement, "result %d answers record %d, packet has %d", i, res.DealerRecordId, batch.Records[i].DealerRecordId)
			}
		}
		return ack, nil
	case *VehicleAcknowledgement_LienRequest:
		if data.GetLienRequest() == nil || r.LienRequest == nil {
			return ack, errorsmod.Wrap(ErrInvalidAcknowledgement, "lien request acknowledgement for a packet that is not a lien request")
		}
		if r.LienRequest.LienId == 0 && r.LienRequest.Granted {
			return ack, errorsmod.Wrap(ErrInvalidAcknowledgement, "lien granted without a lien id")
		}
		return ack, nil
	case *VehicleAcknowledgement_LienRelease:
		release := data.GetLienRelease()
		if release == nil || r.LienRelease == nil {
			return ack, errorsmod.Wrap(ErrInvalidAcknowledgement, "lien release acknowledgement for a packet that is not a lien release")
		}
		if r.LienRelease.LienId != release.LienId {
			return ack, errorsmod.Wrapf(ErrInvalidAcknowledgement, "release acknowledgement answers lien %d, packet released %d", r.LienRelease.LienId, release.LienId)
		}
		return ack, nil
	default:
		return ack, errorsmod.Wrap(ErrInvalidAcknowledgement, "acknowledgement sets no response")
	}
}
