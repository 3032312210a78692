package testnet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	auditcli "github.com/vinhub/vinhub/audit/cli"
)

// RunAuditDemo audits DemoVIN as an outside auditor would: vinaudit (run
// in-process) trusts the genesis of the hub and of each dealer chain,
// reads through each chain's first node and has its last node confirm
// every header. It returns the HTML report.
func RunAuditDemo(ctx context.Context, nw *Network, home string, out io.Writer) (string, error) {
	fmt.Fprintf(out, "==> vinaudit proves %s's history from the chains' consensus\n", DemoVIN)
	trust := func(c *Chain) []string {
		first, last := c.Node(0), c.Node(len(c.Nodes)-1)
		return []string{"--genesis", filepath.Join(first.Home, "config", "genesis.json"), "--primary", first.RPCURL(), "--witness", last.RPCURL()}
	}
	reports := filepath.Join(home, "reports")
	run := func(args ...string) error {
		app := auditcli.App()
		app.Writer, app.ErrWriter = out, out
		err := app.RunContext(ctx, append([]string{"vinaudit", "--home", home}, args...))
		var exit ucli.ExitCoder
		if errors.As(err, &exit) {
			return fmt.Errorf("vinaudit %v: exit %d", args, exit.ExitCode())
		}
		return err
	}
	if err := run(append([]string{"init"}, trust(nw.Hub)...)...); err != nil {
		return "", err
	}
	for _, d := range nw.Dealers {
		if err := run(append([]string{"add-dealer"}, trust(d)...)...); err != nil {
			return "", err
		}
	}
	if err := run("vin", "--out", reports, DemoVIN); err != nil {
		return "", err
	}
	pages, err := filepath.Glob(filepath.Join(reports, DemoVIN+"-*.html"))
	if err != nil || len(pages) == 0 {
		return "", fmt.Errorf("no report in %s: %v", reports, err)
	}
	return pages[len(pages)-1], nil
}
