package client

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	nodeservice "github.com/cosmos/cosmos-sdk/client/grpc/node"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// gasPriceRefresh is how often the chain's gas price is read again.
const gasPriceRefresh = time.Minute

// feeMarketGasPrice is the fee market's (skip-mev feemarket) current price
// query, on chains that run one.
const feeMarketGasPrice = "/feemarket.feemarket.v1.Query/GasPrice"

// pickGasPrice is the price a tx pays: the highest of the configured price
// and what the chain asks (its node's minimum, its fee market's current
// price), in the configured denom, capped at maxPrice when set. capped
// reports that the chain asked more than the cap.
func pickGasPrice(configured sdk.DecCoin, chainAsks []sdk.DecCoin, maxPrice *sdk.DecCoin) (price sdk.DecCoin, capped bool) {
	price = configured
	for _, p := range chainAsks {
		if p.Denom == price.Denom && p.Amount.GT(price.Amount) {
			price = p
		}
	}
	if maxPrice != nil && maxPrice.Denom == price.Denom && price.Amount.GT(maxPrice.Amount) {
		return *maxPrice, true
	}
	return price, false
}

// chainGasPrices reads what the chain asks per unit of gas: its node's
// minimum gas prices and, where present, its fee market's price for denom.
// Either may be missing; only both failing is an error.
func (c *Chain) chainGasPrices(ctx context.Context, denom string) ([]sdk.DecCoin, error) {
	var asks []sdk.DecCoin
	cfg, nodeErr := nodeservice.NewServiceClient(c.Conn()).Config(ctx, &nodeservice.ConfigRequest{})
	if nodeErr == nil {
		mins, err := sdk.ParseDecCoins(cfg.MinimumGasPrice)
		if err != nil {
			return nil, fmt.Errorf("chain %s: node minimum gas price %q: %w", c.ID(), cfg.MinimumGasPrice, err)
		}
		asks = append(asks, mins...)
	}
	market, marketErr := c.feeMarketPrice(ctx, denom)
	if marketErr == nil {
		asks = append(asks, market)
	}
	if nodeErr != nil && marketErr != nil {
		return nil, fmt.Errorf("chain %s: gas price: %w", c.ID(), errors.Join(nodeErr, marketErr))
	}
	return asks, nil
}

// feeMarketPrice asks a fee market for the current price of denom. The
// request and response (GasPriceRequest{denom}, GasPriceResponse{DecCoin
// price}) are encoded by hand: the module is not a dependency.
func (c *Chain) feeMarketPrice(ctx context.Context, denom string) (sdk.DecCoin, error) {
	req := protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), denom)
	res, err := c.RPC.ABCIQuery(ctx, feeMarketGasPrice, req)
	if err != nil {
		return sdk.DecCoin{}, err
	}
	if res.Response.Code != 0 {
		return sdk.DecCoin{}, &ABCIError{Chain: c.ID(), Stage: "query " + feeMarketGasPrice, Codespace: res.Response.Codespace, Code: res.Response.Code, Log: res.Response.Log}
	}
	return decodeFeeMarketPrice(res.Response.Value)
}

// decodeFeeMarketPrice reads field 1 (the price DecCoin) of a GasPriceResponse.
func decodeFeeMarketPrice(bz []byte) (sdk.DecCoin, error) {
	for len(bz) > 0 {
		num, typ, n := protowire.ConsumeTag(bz)
		if n < 0 {
			return sdk.DecCoin{}, protowire.ParseError(n)
		}
		bz = bz[n:]
		if num == 1 && typ == protowire.BytesType {
			inner, n := protowire.ConsumeBytes(bz)
			if n < 0 {
				return sdk.DecCoin{}, protowire.ParseError(n)
			}
			var price sdk.DecCoin
			if err := price.Unmarshal(inner); err != nil {
				return sdk.DecCoin{}, fmt.Errorf("fee market price: %w", err)
			}
			return price, price.Validate()
		}
		n = protowire.ConsumeFieldValue(num, typ, bz)
		if n < 0 {
			return sdk.DecCoin{}, protowire.ParseError(n)
		}
		bz = bz[n:]
	}
	return sdk.DecCoin{}, errors.New("fee market price: empty response")
}

// refreshGasPrice reads the chain's price at most every gasPriceRefresh;
// if it cannot, the last price stays. Callers hold c.mu.
func (c *Chain) refreshGasPrice(ctx context.Context) {
	if time.Since(c.gasPriceAt) < gasPriceRefresh {
		return
	}
	c.gasPriceAt = time.Now()
	asks, err := c.chainGasPrices(ctx, c.configuredPrice.Denom)
	if err != nil {
		c.log.Debug("gas price not readable from the chain; keeping the last one", "price", c.gasPrice, "err", err)
		return
	}
	price, capped := pickGasPrice(c.configuredPrice, asks, c.maxGasPrice)
	if capped {
		c.log.Warn("the chain asks more than max_gas_price; paying the cap (txs may be refused for low fees)", "asks", sdk.DecCoins(asks).String(), "max_gas_price", c.maxGasPrice)
	}
	if price.Denom != c.gasPrice.Denom || !price.Amount.Equal(c.gasPrice.Amount) {
		c.log.Info("gas price", "price", price, "configured", c.configuredPrice)
	}
	c.gasPrice = price
}

// gasLimit is the gas a tx is given: simulated gas times adjust, or, when
// the simulation could not be run at all (not a refusal by the chain, which
// the tx would meet too), default_gas if configured.
func (c *Chain) gasLimit(simulated uint64, simErr error, adjust float64) (uint64, error) {
	if simErr == nil {
		return uint64(math.Ceil(float64(simulated) * adjust)), nil
	}
	var refusal *ABCIError
	if c.Config.DefaultGas == 0 || errors.As(simErr, &refusal) {
		return 0, simErr
	}
	c.obs.TxError(c.ID(), "simulation_unavailable")
	c.log.Warn("simulation failed; using default_gas", "default_gas", c.Config.DefaultGas, "err", simErr)
	return c.Config.DefaultGas, nil
}
