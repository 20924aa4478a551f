# SPDX-License-Identifier: Apache-2.0
"""The registry advisor: what PyPI and npm say about the dependencies of an inventory.

Per component: its releases with their dates and licenses, the latest version, whether the
version in use was yanked or deprecated, how many maintainers it has and where its source
is. The Consumption and Competition rules judge these answers
(``ospo.policy.rules.registry``); ``fill.fill_declared`` records the license a registry
declares for a component whose own metadata names none.

The modules: ``model`` (what a registry says), ``documents`` (reading PyPI's and npm's
answers), ``fetch`` (asking, with the cache on disk), ``fill`` (declared licenses).
Nothing here is imported at start-up but ``model`` and ``documents``.
"""
