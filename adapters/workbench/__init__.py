"""The comms team's workbench: a web page served by guidebot at /workbench/."""
