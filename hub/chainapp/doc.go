// Package chainapp is the SDK + IBC wiring the hub and the reference dealer
// chain share: auth, bank, staking, distribution, slashing, gov, upgrade,
// consensus, IBC core with the 07-tendermint light client, ICS-20 transfer and
// x/vehicle. A chain adds its own modules through Extensions; hub/app adds
// x/membership, hub/dealerapp adds nothing.
package chainapp
