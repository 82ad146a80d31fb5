#!/bin/sh
echo "café"
