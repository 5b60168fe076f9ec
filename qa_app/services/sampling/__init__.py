"""Which conversations get reviewed, by whom: strategies, previews, assignments.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.sampling.candidates import (
    SampleOptions,
    SampleRequest,
    sample_options,
)
from qa_app.services.sampling.plans import (
    SamplePlan,
    create_sample,
    preview_sample,
)
from qa_app.services.sampling.screens import (
    SamplingScreen,
    do_create_sample,
    sample_preview,
    sampling_screen,
)
from qa_app.services.sampling.strategies import (
    RISK_WEIGHTS,
    STRATEGIES,
)

__all__ = [
    "RISK_WEIGHTS",
    "STRATEGIES",
    "SampleOptions",
    "SamplePlan",
    "SampleRequest",
    "SamplingScreen",
    "create_sample",
    "do_create_sample",
    "preview_sample",
    "sample_options",
    "sample_preview",
    "sampling_screen",
]
