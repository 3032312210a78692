package audit

import (
	"encoding/binary"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// The store keys an auditor reads, built with the collections codecs the
// keepers store them with, under the prefixes the state layouts document
// (docs/spec/vehicle-state.md, "What an auditor reads").

func withPrefix[K any](prefix collections.Prefix, codec collcodec.KeyCodec[K], key K) []byte {
	buf, err := collections.EncodeKeyWithPrefix(prefix.Bytes(), codec, key)
	if err != nil {
		panic(err) // uint64 and checked strings always encode
	}
	return buf
}

// vinPrefix is prefix || VIN || 0x00: where a VIN's entries of an index keyed
// (VIN, ...) start.
func vinPrefix(prefix collections.Prefix, vin string) []byte {
	buf := make([]byte, collections.StringKey.SizeNonTerminal(vin))
	if _, err := collections.StringKey.EncodeNonTerminal(buf, vin); err != nil {
		panic(err) // a parsed VIN has no 0x00
	}
	return append(prefix.Bytes(), buf...)
}

func summaryKey(vin string) []byte {
	return withPrefix(vehicletypes.SummariesKey, collections.StringKey, vin)
}

func historyPrefix(vin string) []byte { return vinPrefix(vehicletypes.HistoryIndexKey, vin) }

func recordKey(id uint64) []byte {
	return withPrefix(vehicletypes.RecordsKey, collections.Uint64Key, id)
}

func activeLienKey(vin string) []byte {
	return withPrefix(vehicletypes.ActiveLiensKey, collections.StringKey, vin)
}

func liensByVINPrefix(vin string) []byte { return vinPrefix(vehicletypes.LiensByVINKey, vin) }

func lienKey(id uint64) []byte { return withPrefix(vehicletypes.LiensKey, collections.Uint64Key, id) }

func assetsByVINPrefix(vin string) []byte { return vinPrefix(assettypes.AssetsByVINKey, vin) }

func assetKey(id uint64) []byte { return withPrefix(assettypes.AssetsKey, collections.Uint64Key, id) }

func loanKey(id uint64) []byte { return withPrefix(assettypes.LoansKey, collections.Uint64Key, id) }

// trailingID is the uint64 id every index entry the auditor walks ends with.
func trailingID(key []byte) (uint64, bool) {
	if len(key) < 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(key[len(key)-8:]), true
}

// htlcEscrow is the account that holds a title locked in a swap.
var htlcEscrow = authtypes.NewModuleAddress(htlctypes.ModuleName).String()

// anchoringKey is where x/anchor keeps the first anchoring of a SHA-256 (docs/spec/anchor.md).
func anchoringKey(sum []byte) []byte {
	return withPrefix(anchortypes.AnchoringsKey, collections.BytesKey, sum)
}
