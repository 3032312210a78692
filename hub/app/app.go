package app

import (
	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/runtime"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/vinhub/vinhub/hub/chainapp"
	"github.com/vinhub/vinhub/x/anchor"
	anchorkeeper "github.com/vinhub/vinhub/x/anchor/keeper"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	"github.com/vinhub/vinhub/x/asset"
	assetkeeper "github.com/vinhub/vinhub/x/asset/keeper"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	"github.com/vinhub/vinhub/x/credit"
	creditkeeper "github.com/vinhub/vinhub/x/credit/keeper"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	"github.com/vinhub/vinhub/x/htlc"
	htlckeeper "github.com/vinhub/vinhub/x/htlc/keeper"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
	"github.com/vinhub/vinhub/x/membership"
	membershipkeeper "github.com/vinhub/vinhub/x/membership/keeper"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	"github.com/vinhub/vinhub/x/notary"
	notarykeeper "github.com/vinhub/vinhub/x/notary/keeper"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
)

// Name is the hub's app name.
const Name = "vinhub"

// App is the hub chain.
type App struct {
	*chainapp.App
	MembershipKeeper membershipkeeper.Keeper
	CreditKeeper     creditkeeper.Keeper
	AssetKeeper      assetkeeper.Keeper
	HTLCKeeper       htlckeeper.Keeper
	NotaryKeeper     notarykeeper.Keeper
	AnchorKeeper     anchorkeeper.Keeper
}

// New builds the hub app.
func New(logger log.Logger, db dbm.DB, loadLatest bool,
	appOpts servertypes.AppOptions, baseAppOptions ...func(*baseapp.BaseApp),
) *App {
	hub := &App{}
	// Evidence anchoring comes after membership (sealed notes' recipients
	// hold its keys) and before the modules whose accepted records,
	// applications and valuations anchor their evidence hashes in it.
	anchorExt := chainapp.Extension{
		StoreKeys: []string{anchortypes.StoreKey},
		Wire: func(base *chainapp.App) ([]module.AppModule, []stakingtypes.StakingHooks) {
			hub.AnchorKeeper = anchorkeeper.NewKeeper(base.AppCodec(), runtime.NewKVStoreService(base.GetKey(anchortypes.StoreKey))).
				WithRecipientKeys(hub.MembershipKeeper) // sealed notes' recipients
			base.VehicleKeeper.SetEvidenceAnchor(hub.AnchorKeeper)
			return []module.AppModule{anchor.NewAppModule(hub.AnchorKeeper)}, nil
		},
	}
	membershipExt := chainapp.Extension{
		StoreKeys:         []string{membershiptypes.StoreKey},
		InitBeforeStaking: []string{membershiptypes.ModuleName},
		Wire: func(base *chainapp.App) ([]module.AppModule, []stakingtypes.StakingHooks) {
			hub.MembershipKeeper = membershipkeeper.NewKeeper(base.AppCodec(),
				runtime.NewKVStoreService(base.GetKey(membershiptypes.StoreKey)),
				base.AccountKeeper.AddressCodec(), chainapp.GovAuthority()).
				WithReporters(base.VehicleKeeper) // dealers' reporters register encryption keys
			// Examiners resolve odometer disputes between dealers.
			base.VehicleKeeper.SetRoleChecker(hub.MembershipKeeper)
			// Sealed envelopes' recipients must hold registered encryption keys.
			base.VehicleKeeper.SetRecipientKeys(hub.MembershipKeeper)
			return []module.AppModule{membership.NewAppModule(hub.MembershipKeeper)},
				[]stakingtypes.StakingHooks{hub.MembershipKeeper.Hooks()}
		},
	}
	// Credit and assets come after membership (their keepers check roles).
	financeExt := chainapp.Extension{
		StoreKeys:      []string{credittypes.StoreKey, assettypes.StoreKey},
		ModuleAccounts: map[string][]string{assettypes.ModuleName: nil},
		Wire: func(base *chainapp.App) ([]module.AppModule, []stakingtypes.StakingHooks) {
			addrCodec := base.AccountKeeper.AddressCodec()
			hub.CreditKeeper = creditkeeper.NewKeeper(base.AppCodec(),
				runtime.NewKVStoreService(base.GetKey(credittypes.StoreKey)), addrCodec, chainapp.GovAuthority())
			hub.AssetKeeper = assetkeeper.NewKeeper(base.AppCodec(),
				runtime.NewKVStoreService(base.GetKey(assettypes.StoreKey)), addrCodec, chainapp.GovAuthority(),
				base.BankKeeper, base.VehicleKeeper, hub.MembershipKeeper, hub.CreditKeeper).WithEvidenceAnchor(hub.AnchorKeeper)
			// Fraud flags on a dealer's records lower the dealer account's score.
			base.VehicleKeeper.SetCreditHooks(hub.CreditKeeper)
			// A dealer's lien on a car registered on the hub needs its owner's consent.
			base.VehicleKeeper.SetVehicleAssets(hub.AssetKeeper)
			return []module.AppModule{credit.NewAppModule(hub.CreditKeeper), asset.NewAppModule(hub.AssetKeeper)}, nil
		},
	}
	// HTLCs escrow coins and asset titles (after finance: it moves titles
	// through the asset keeper); the htlc module account holds the escrow.
	htlcExt := chainapp.Extension{
		StoreKeys:      []string{htlctypes.StoreKey},
		ModuleAccounts: map[string][]string{htlctypes.ModuleName: nil},
		Wire: func(base *chainapp.App) ([]module.AppModule, []stakingtypes.StakingHooks) {
			hub.HTLCKeeper = htlckeeper.NewKeeper(base.AppCodec(),
				runtime.NewKVStoreService(base.GetKey(htlctypes.StoreKey)), base.AccountKeeper.AddressCodec(),
				chainapp.GovAuthority(), base.BankKeeper, hub.AssetKeeper)
			return []module.AppModule{htlc.NewAppModule(hub.HTLCKeeper)}, nil
		},
	}
	// Notaries attest events on platforms without IBC; a final attestation
	// appends a ledger's record, repays a loan or publishes an HTLC secret,
	// so the notary module comes after the modules it drives.
	notaryExt := chainapp.Extension{
		StoreKeys: []string{notarytypes.StoreKey},
		Wire: func(base *chainapp.App) ([]module.AppModule, []stakingtypes.StakingHooks) {
			hub.NotaryKeeper = notarykeeper.NewKeeper(base.AppCodec(),
				runtime.NewKVStoreService(base.GetKey(notarytypes.StoreKey)), base.AccountKeeper.AddressCodec(),
				chainapp.GovAuthority(), hub.MembershipKeeper, base.VehicleKeeper, hub.AssetKeeper, hub.HTLCKeeper)
			return []module.AppModule{notary.NewAppModule(hub.NotaryKeeper)}, nil
		},
	}
	hub.App = chainapp.New(chainapp.Config{Name: Name, Extensions: []chainapp.Extension{membershipExt, anchorExt, financeExt, htlcExt, notaryExt}},
		logger, db, loadLatest, appOpts, baseAppOptions...)
	return hub
}
