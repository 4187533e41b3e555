"""siting: rank candidate manufacturing sites in Mexico for nearshoring.

Data flows one way: :mod:`layers` builds geospatial layers from bundled public data, :mod:`siting`
turns them into criteria, scores and rankings, and :mod:`maps` renders the results.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from siting._errors import InputError, ScenarioError, SitingError
from siting.criteria import CRITERIA, CriteriaParams, compute_criteria
from siting.run import RunResult, run_scenario
from siting.scenario import Scenario, load_scenario, parse_scenario

try:
    __version__ = _version("siting")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "CRITERIA",
    "CriteriaParams",
    "InputError",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SitingError",
    "__version__",
    "compute_criteria",
    "load_scenario",
    "parse_scenario",
    "run_scenario",
]
