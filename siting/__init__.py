"""siting: rank candidate manufacturing sites in Mexico for nearshoring.

Data flows one way: :mod:`siting.layers` builds geospatial layers from bundled public data,
:mod:`siting` turns them into criteria, scores and rankings, and :mod:`siting.maps` renders them.

>>> import siting
>>> result = siting.run()                      # doctest: +SKIP
>>> result.ranking.head()                      # doctest: +SKIP
>>> result.explore()                           # doctest: +SKIP
"""

from siting.layers._data import package_version

__version__ = package_version()

from siting._errors import InputError, OutputError, ScenarioError, SitingError
from siting.atlas import write_atlas
from siting.criteria import (
    CRITERIA,
    CriteriaParams,
    Criterion,
    compute_criteria,
    register_criterion,
)
from siting.municipal import municipal_surface, state_ranks
from siting.pipeline import run, run_scenario
from siting.result import CriterionWeight, NetworkInfo, RunResult, Stability
from siting.scenario import Scenario, load_scenario, parse_scenario, with_overrides
from siting.whyhere import why_here

__all__ = [
    "CRITERIA",
    "CriteriaParams",
    "Criterion",
    "CriterionWeight",
    "InputError",
    "NetworkInfo",
    "OutputError",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SitingError",
    "Stability",
    "__version__",
    "compute_criteria",
    "load_scenario",
    "municipal_surface",
    "parse_scenario",
    "register_criterion",
    "run",
    "run_scenario",
    "state_ranks",
    "why_here",
    "with_overrides",
    "write_atlas",
]
