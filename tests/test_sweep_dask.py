"""The same sweep gives the same file on a Dask cluster (worker processes, and
threads sharing one process) as serially."""

import pytest

from symthermo.sweep import sweep

distributed = pytest.importorskip("distributed", reason="Dask's distributed is not installed "
                                                        "(pip install 'symthermo[cluster]')")


@pytest.mark.parametrize("processes, threads", [(True, 1), (False, 2)])
def test_dask_cluster_gives_the_same_file(serial_sweep, tmp_path, processes, threads):
    out = tmp_path / "map.csv"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=threads, processes=processes,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        result = sweep("refrigerator", serial_sweep.grid, serial_sweep.times, float64=True,
                       reduce=serial_sweep.reduce,
                       executor=client.get_executor(), chunksize=1, out=out)
        workers_used = len(client.scheduler_info()["workers"])
    assert workers_used == 2
    assert out.read_text() == serial_sweep.text
    assert result.rows == serial_sweep.result.rows


def test_cli_scheduler_address(serial_sweep, tmp_path, capsys):
    from symthermo.cli import main

    out = tmp_path / "map.csv"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        args = ["sweep", "refrigerator", "--times", serial_sweep.times, "--float64", "--out", str(out),
                "--scheduler", cluster.scheduler_address, "--quiet"]
        args += [a for name, values in (("beta_B", "1:2.5:4"), ("omega_B", "1.2,1.63"))
                 for a in ("--grid", f"{name}={values}")]
        args += [a for r in serial_sweep.reduce for a in ("--reduce", r)]
        assert main(args) == 0, capsys.readouterr().err
    assert out.read_text() == serial_sweep.text
