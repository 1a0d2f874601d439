#!/bin/sh
# /usr/bin/gangway: runs the packaged jar on the system's Java (17 or later) with the options
# the project's own launcher uses for a local proxy; GANGWAY_JAVA_OPTS replaces them.
set -eu
jar=/usr/share/gangway/gangway.jar
defaults="-XX:+UseSerialGC -Xss512k -Xms8m -XX:ReservedCodeCacheSize=32m -XX:+ExitOnOutOfMemoryError"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# shellcheck disable=SC2086
exec "$java" ${GANGWAY_JAVA_OPTS:-$defaults} -jar "$jar" "$@"
