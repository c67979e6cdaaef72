"""The same sweep gives the same file on a Dask cluster (worker processes, and
threads sharing one process) as serially."""

import pytest

from symthermo.sweep import sweep

distributed = pytest.importorskip("distributed", reason="Dask's distributed is not installed "
                                                        "(pip install 'symthermo[cluster]')")

GRID = {"beta_B": "1:2.5:4", "omega_B": [1.2, 1.63]}
TIMES = "0:8:17"
REDUCE = ["cool=max:-Q_A", "cop_over_carnot=cop/carnot@max:-Q_A", "first:-Q_A>0"]


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial") / "map.csv"
    result = sweep("refrigerator", GRID, TIMES, float64=True, reduce=REDUCE, workers=1, out=out)
    assert result.done == 8 and result.failed == 0
    return out.read_text(), result


@pytest.mark.parametrize("processes, threads", [(True, 1), (False, 2)])
def test_dask_cluster_gives_the_same_file(serial, tmp_path, processes, threads):
    out = tmp_path / "map.csv"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=threads, processes=processes,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        result = sweep("refrigerator", GRID, TIMES, float64=True, reduce=REDUCE,
                       executor=client.get_executor(), chunksize=1, out=out)
        workers_used = len(client.scheduler_info()["workers"])
    assert workers_used == 2
    assert out.read_text() == serial[0]
    assert result.rows == serial[1].rows


def test_cli_scheduler_address(serial, tmp_path, capsys):
    from symthermo.cli import main

    out = tmp_path / "map.csv"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        args = ["sweep", "refrigerator", "--times", TIMES, "--float64", "--out", str(out),
                "--scheduler", cluster.scheduler_address, "--quiet"]
        args += [a for name, values in (("beta_B", "1:2.5:4"), ("omega_B", "1.2,1.63"))
                 for a in ("--grid", f"{name}={values}")]
        args += [a for r in REDUCE for a in ("--reduce", r)]
        assert main(args) == 0, capsys.readouterr().err
    assert out.read_text() == serial[0]
