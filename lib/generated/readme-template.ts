/* Generated from lib/templates/readme.ts by `npm run gen:types`. Do not edit. */
// @ts-nocheck
export const README_TEMPLATE_SPEC = {"0":function(container,depth0,helpers,partials,data) {
    return "pushgateway";
},"1":function(container,depth0,helpers,partials,data) {
    return "pull";
},"2":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  subgraph "
    + ((stack1 = (((helper = lookupProperty(helpers,"id") || alias1(depth0, "id", {"start":{"line":10,"column":13},"end":{"line":10,"column":15}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"id","hash":{},"data":data,"loc":{"start":{"line":10,"column":11},"end":{"line":10,"column":17}}}) : helper))) != null ? stack1 : "")
    + "[\"Flink cluster "
    + ((stack1 = (((helper = lookupProperty(helpers,"name") || alias1(depth0, "name", {"start":{"line":10,"column":35},"end":{"line":10,"column":39}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"name","hash":{},"data":data,"loc":{"start":{"line":10,"column":33},"end":{"line":10,"column":41}}}) : helper))) != null ? stack1 : "")
    + "\"]\n    "
    + ((stack1 = (((helper = lookupProperty(helpers,"id") || alias1(depth0, "id", {"start":{"line":11,"column":6},"end":{"line":11,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"id","hash":{},"data":data,"loc":{"start":{"line":11,"column":4},"end":{"line":11,"column":10}}}) : helper))) != null ? stack1 : "")
    + "_jm[\"JobManager(s)\"]\n    "
    + ((stack1 = (((helper = lookupProperty(helpers,"id") || alias1(depth0, "id", {"start":{"line":12,"column":6},"end":{"line":12,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"id","hash":{},"data":data,"loc":{"start":{"line":12,"column":4},"end":{"line":12,"column":10}}}) : helper))) != null ? stack1 : "")
    + "_tm[\"TaskManagers\"]\n  end\n";
},"3":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  pgw[\"Pushgateway\"]\n"
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"clusters"),{"name":"each","hash":{},"fn":container.program(4, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":17,"column":0},"end":{"line":20,"column":9}}})) != null ? stack1 : "")
    + "  pgw -- \"scrape (honor_labels)\" --> prom[\"Prometheus\"]\n";
},"4":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", alias4=container.lambda, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  "
    + ((stack1 = (((helper = lookupProperty(helpers,"id") || alias1(depth0, "id", {"start":{"line":18,"column":4},"end":{"line":18,"column":6}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"id","hash":{},"data":data,"loc":{"start":{"line":18,"column":2},"end":{"line":18,"column":8}}}) : helper))) != null ? stack1 : "")
    + "_jm -- \"PUT every "
    + ((stack1 = alias4(alias1(depths[1], "interval", {"start":{"line":18,"column":28},"end":{"line":18,"column":39}} ), depth0)) != null ? stack1 : "")
    + "\" --> pgw\n  "
    + ((stack1 = (((helper = lookupProperty(helpers,"id") || alias1(depth0, "id", {"start":{"line":19,"column":4},"end":{"line":19,"column":6}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"id","hash":{},"data":data,"loc":{"start":{"line":19,"column":2},"end":{"line":19,"column":8}}}) : helper))) != null ? stack1 : "")
    + "_tm -- \"PUT every "
    + ((stack1 = alias4(alias1(depths[1], "interval", {"start":{"line":19,"column":28},"end":{"line":19,"column":39}} ), depth0)) != null ? stack1 : "")
    + "\" --> pgw\n";
},"5":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  prom[\"Prometheus\"]\n"
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"clusters"),{"name":"each","hash":{},"fn":container.program(6, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":24,"column":0},"end":{"line":27,"column":9}}})) != null ? stack1 : "");
},"6":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, helper, alias1=container.strict, alias2=container.lambda, alias3=depth0 != null ? depth0 : (container.nullContext || {}), alias4="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  prom -- \"scrape :"
    + ((stack1 = alias2(alias1(depths[1], "pullPort", {"start":{"line":25,"column":21},"end":{"line":25,"column":32}} ), depth0)) != null ? stack1 : "")
    + "\" --> "
    + ((stack1 = (((helper = lookupProperty(helpers,"id") || alias1(depth0, "id", {"start":{"line":25,"column":42},"end":{"line":25,"column":44}} ))),(typeof helper === alias4 ? helper.call(alias3,{"name":"id","hash":{},"data":data,"loc":{"start":{"line":25,"column":40},"end":{"line":25,"column":46}}}) : helper))) != null ? stack1 : "")
    + "_jm\n  prom -- \"scrape :"
    + ((stack1 = alias2(alias1(depths[1], "pullPort", {"start":{"line":26,"column":21},"end":{"line":26,"column":32}} ), depth0)) != null ? stack1 : "")
    + "\" --> "
    + ((stack1 = (((helper = lookupProperty(helpers,"id") || alias1(depth0, "id", {"start":{"line":26,"column":42},"end":{"line":26,"column":44}} ))),(typeof helper === alias4 ? helper.call(alias3,{"name":"id","hash":{},"data":data,"loc":{"start":{"line":26,"column":40},"end":{"line":26,"column":46}}}) : helper))) != null ? stack1 : "")
    + "_tm\n";
},"7":function(container,depth0,helpers,partials,data) {
    return "  node[\"node_exporter\"] -- \"scrape\" --> prom\n";
},"8":function(container,depth0,helpers,partials,data) {
    return "  prom -- \"queries\" --> grafana[\"Grafana\"]\n";
},"9":function(container,depth0,helpers,partials,data) {
    return "  prom -- \"alerts\" --> am[\"Alertmanager\"]\n";
},"10":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "\nA Docker Swarm stack (`docker-stack.yml`). Once, label the node that keeps Prometheus', Alertmanager's, Grafana's\nand the Pushgateway's data; then, on a manager node:\n\n```sh\ndocker node update --label-add "
    + ((stack1 = container.lambda(alias1(lookupProperty(depth0,"swarm"), "nodeLabel", {"start":{"line":47,"column":33},"end":{"line":47,"column":48}} ), depth0)) != null ? stack1 : "")
    + "=true NODE   # NODE: a name from docker node ls\nflink-prometheus-stack up --target swarm\n```\n\n`up` runs `docker stack deploy --resolve-image never --prune -c docker-stack.yml "
    + ((stack1 = (((helper = lookupProperty(helpers,"project") || alias1(depth0, "project", {"start":{"line":51,"column":83},"end":{"line":51,"column":90}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"project","hash":{},"data":data,"loc":{"start":{"line":51,"column":81},"end":{"line":51,"column":92}}}) : helper))) != null ? stack1 : "")
    + "` with the\n`FPS_SECRET_*` variables that name each secret by its content, then waits until every service runs its current\nspec and Prometheus reports every target up. A hand-run `docker stack deploy` without those variables deploys\nsecrets named `…-0` and needs new values whenever a secret file changes. `flink-prometheus-stack status --target\nswarm` and `down --target swarm` show and remove it.\n";
},"11":function(container,depth0,helpers,partials,data) {
    return "\n```sh\ndocker compose up -d          # or: docker-compose up -d, or: flink-prometheus-stack up\n```\n";
},"12":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "\nThe prune sidecar runs `"
    + ((stack1 = (((helper = lookupProperty(helpers,"pruneLocalImage") || alias1(depth0, "pruneLocalImage", {"start":{"line":64,"column":26},"end":{"line":64,"column":41}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"pruneLocalImage","hash":{},"data":data,"loc":{"start":{"line":64,"column":24},"end":{"line":64,"column":43}}}) : helper))) != null ? stack1 : "")
    + "`: this CLI (the installed package and its production\ndependencies) on top of `"
    + ((stack1 = (((helper = lookupProperty(helpers,"pruneImage") || alias1(depth0, "pruneImage", {"start":{"line":65,"column":27},"end":{"line":65,"column":37}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"pruneImage","hash":{},"data":data,"loc":{"start":{"line":65,"column":25},"end":{"line":65,"column":39}}}) : helper))) != null ? stack1 : "")
    + "`, built on your Docker engine and never pulled, so nothing is fetched\nwhen it starts. `flink-prometheus-stack up` builds it; before `docker compose up`, run\n`flink-prometheus-stack build-image` with the same config (once, and after each upgrade). Without it Compose v2\nrefuses to start the sidecar (`pull_policy: never`) and docker-compose 1.29 fails pulling it from `localhost`.\nThe base image is pulled when missing; for an offline engine, `docker load` it first.\n";
},"13":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "The stack is named "
    + ((stack1 = (((helper = lookupProperty(helpers,"project") || container.strict(depth0, "project", {"start":{"line":72,"column":34},"end":{"line":72,"column":41}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"project","hash":{},"data":data,"loc":{"start":{"line":72,"column":32},"end":{"line":72,"column":43}}}) : helper))) != null ? stack1 : "")
    + ". Published ports bind on the node that runs each service (`mode: host`).";
},"14":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "The project name ("
    + ((stack1 = (((helper = lookupProperty(helpers,"project") || alias1(depth0, "project", {"start":{"line":72,"column":144},"end":{"line":72,"column":151}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"project","hash":{},"data":data,"loc":{"start":{"line":72,"column":142},"end":{"line":72,"column":153}}}) : helper))) != null ? stack1 : "")
    + ") comes from `.env`. Published ports bind to **"
    + ((stack1 = (((helper = lookupProperty(helpers,"bindAddress") || alias1(depth0, "bindAddress", {"start":{"line":72,"column":202},"end":{"line":72,"column":213}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"bindAddress","hash":{},"data":data,"loc":{"start":{"line":72,"column":200},"end":{"line":72,"column":215}}}) : helper))) != null ? stack1 : "")
    + "** only.";
},"15":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "| "
    + ((stack1 = (((helper = lookupProperty(helpers,"name") || alias1(depth0, "name", {"start":{"line":77,"column":4},"end":{"line":77,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"name","hash":{},"data":data,"loc":{"start":{"line":77,"column":2},"end":{"line":77,"column":10}}}) : helper))) != null ? stack1 : "")
    + " | `"
    + ((stack1 = (((helper = lookupProperty(helpers,"image") || alias1(depth0, "image", {"start":{"line":77,"column":16},"end":{"line":77,"column":21}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"image","hash":{},"data":data,"loc":{"start":{"line":77,"column":14},"end":{"line":77,"column":23}}}) : helper))) != null ? stack1 : "")
    + "` | "
    + ((stack1 = (((helper = lookupProperty(helpers,"url") || alias1(depth0, "url", {"start":{"line":77,"column":29},"end":{"line":77,"column":32}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"url","hash":{},"data":data,"loc":{"start":{"line":77,"column":27},"end":{"line":77,"column":34}}}) : helper))) != null ? stack1 : "")
    + " |\n";
},"16":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "## Grafana login\n\nUser **"
    + ((stack1 = (((helper = lookupProperty(helpers,"grafanaUser") || alias1(depth0, "grafanaUser", {"start":{"line":83,"column":9},"end":{"line":83,"column":20}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"grafanaUser","hash":{},"data":data,"loc":{"start":{"line":83,"column":7},"end":{"line":83,"column":22}}}) : helper))) != null ? stack1 : "")
    + "**; the password is in `"
    + ((stack1 = (((helper = lookupProperty(helpers,"grafanaPasswordFile") || alias1(depth0, "grafanaPasswordFile", {"start":{"line":83,"column":48},"end":{"line":83,"column":67}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"grafanaPasswordFile","hash":{},"data":data,"loc":{"start":{"line":83,"column":46},"end":{"line":83,"column":69}}}) : helper))) != null ? stack1 : "")
    + "`"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"grafanaPasswordGenerated"),{"name":"if","hash":{},"fn":container.program(17, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":83,"column":70},"end":{"line":84,"column":30}}})) != null ? stack1 : "")
    + ". Read it with `cat "
    + ((stack1 = (((helper = lookupProperty(helpers,"grafanaPasswordFile") || alias1(depth0, "grafanaPasswordFile", {"start":{"line":84,"column":52},"end":{"line":84,"column":71}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"grafanaPasswordFile","hash":{},"data":data,"loc":{"start":{"line":84,"column":50},"end":{"line":84,"column":73}}}) : helper))) != null ? stack1 : "")
    + "`.\nGrafana applies the admin password only when it creates its database, on the first start: to change it later,\nuse the Grafana UI or `grafana cli admin reset-admin-password`, not this file.\nThe Grafana container runs as uid 472 and must be able to read the file: when you generate as root it is\nhanded to uid 472 automatically; otherwise run `sudo chown 472 "
    + ((stack1 = (((helper = lookupProperty(helpers,"grafanaPasswordFile") || alias1(depth0, "grafanaPasswordFile", {"start":{"line":88,"column":65},"end":{"line":88,"column":84}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"grafanaPasswordFile","hash":{},"data":data,"loc":{"start":{"line":88,"column":63},"end":{"line":88,"column":86}}}) : helper))) != null ? stack1 : "")
    + "` once.\nSign-up and anonymous access are off.\n\nDashboards (folder \"Flink\"):\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"dashboards"),{"name":"each","hash":{},"fn":container.program(18, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":92,"column":0},"end":{"line":94,"column":9}}})) != null ? stack1 : "")
    + "\n";
},"17":function(container,depth0,helpers,partials,data) {
    return " (generated once, mode 0600, never\noverwritten or printed)";
},"18":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "- "
    + ((stack1 = (((helper = lookupProperty(helpers,"title") || alias1(depth0, "title", {"start":{"line":93,"column":4},"end":{"line":93,"column":9}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"title","hash":{},"data":data,"loc":{"start":{"line":93,"column":2},"end":{"line":93,"column":11}}}) : helper))) != null ? stack1 : "")
    + " (`grafana/dashboards/"
    + ((stack1 = (((helper = lookupProperty(helpers,"file") || alias1(depth0, "file", {"start":{"line":93,"column":35},"end":{"line":93,"column":39}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"file","hash":{},"data":data,"loc":{"start":{"line":93,"column":33},"end":{"line":93,"column":41}}}) : helper))) != null ? stack1 : "")
    + "`)\n";
},"19":function(container,depth0,helpers,partials,data) {
    return " (standard YAML; every value below is a quoted string\nbecause Flink 1.19 to 2.0 ignore YAML-typed reporter values)";
},"20":function(container,depth0,helpers,partials,data) {
    return " (flat `key: value` lines; never quote values,\nFlink's line parser would keep the quotes)";
},"21":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "Flink "
    + ((stack1 = (((helper = lookupProperty(helpers,"flinkVersion") || container.strict(depth0, "flinkVersion", {"start":{"line":104,"column":8},"end":{"line":104,"column":20}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"flinkVersion","hash":{},"data":data,"loc":{"start":{"line":104,"column":6},"end":{"line":104,"column":22}}}) : helper))) != null ? stack1 : "")
    + " loads the reporter from `lib/`: copy `opt/flink-metrics-prometheus*.jar` to `lib/` on\nevery host first.\n";
},"22":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, helper, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "### Cluster "
    + ((stack1 = (((helper = lookupProperty(helpers,"name") || container.strict(depth0, "name", {"start":{"line":109,"column":14},"end":{"line":109,"column":18}} ))),(typeof helper === "function" ? helper.call(alias1,{"name":"name","hash":{},"data":data,"loc":{"start":{"line":109,"column":12},"end":{"line":109,"column":20}}}) : helper))) != null ? stack1 : "")
    + "\n\nProcesses: "
    + ((stack1 = lookupProperty(helpers,"each").call(alias1,lookupProperty(depth0,"processes"),{"name":"each","hash":{},"fn":container.program(23, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":111,"column":11},"end":{"line":111,"column":77}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"moreProcesses"),{"name":"if","hash":{},"fn":container.program(25, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":111,"column":77},"end":{"line":113,"column":29}}})) != null ? stack1 : "")
    + ".\n\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias1,lookupProperty(depth0,"files"),{"name":"each","hash":{},"fn":container.program(26, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":115,"column":0},"end":{"line":141,"column":9}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"moreFiles"),{"name":"if","hash":{},"fn":container.program(33, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":142,"column":0},"end":{"line":146,"column":7}}})) != null ? stack1 : "");
},"23":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"unless").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(data,"last"),{"name":"unless","hash":{},"fn":container.program(24, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":111,"column":38},"end":{"line":111,"column":68}}})) != null ? stack1 : "");
},"24":function(container,depth0,helpers,partials,data) {
    return ", ";
},"25":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ", and "
    + ((stack1 = (((helper = lookupProperty(helpers,"moreProcesses") || alias1(depth0, "moreProcesses", {"start":{"line":111,"column":106},"end":{"line":111,"column":119}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"moreProcesses","hash":{},"data":data,"loc":{"start":{"line":111,"column":104},"end":{"line":111,"column":121}}}) : helper))) != null ? stack1 : "")
    + " more\n("
    + ((stack1 = (((helper = lookupProperty(helpers,"jobmanagerCount") || alias1(depth0, "jobmanagerCount", {"start":{"line":112,"column":3},"end":{"line":112,"column":18}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"jobmanagerCount","hash":{},"data":data,"loc":{"start":{"line":112,"column":1},"end":{"line":112,"column":20}}}) : helper))) != null ? stack1 : "")
    + " JobManager(s) and "
    + ((stack1 = (((helper = lookupProperty(helpers,"taskmanagerCount") || alias1(depth0, "taskmanagerCount", {"start":{"line":112,"column":41},"end":{"line":112,"column":57}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"taskmanagerCount","hash":{},"data":data,"loc":{"start":{"line":112,"column":39},"end":{"line":112,"column":59}}}) : helper))) != null ? stack1 : "")
    + " TaskManager(s) in all: every one, with its config folder, is listed\nin `"
    + ((stack1 = container.lambda(alias1(depths[1], "hostsFile", {"start":{"line":113,"column":6},"end":{"line":113,"column":18}} ), depth0)) != null ? stack1 : "")
    + "`)";
},"26":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "`"
    + ((stack1 = (((helper = lookupProperty(helpers,"dir") || alias1(depth0, "dir", {"start":{"line":116,"column":3},"end":{"line":116,"column":6}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"dir","hash":{},"data":data,"loc":{"start":{"line":116,"column":1},"end":{"line":116,"column":8}}}) : helper))) != null ? stack1 : "")
    + "/"
    + ((stack1 = container.lambda(alias1(depths[2], "configFile", {"start":{"line":116,"column":11},"end":{"line":116,"column":27}} ), depth0)) != null ? stack1 : "")
    + "`, for "
    + ((stack1 = (((helper = lookupProperty(helpers,"who") || alias1(depth0, "who", {"start":{"line":116,"column":38},"end":{"line":116,"column":41}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"who","hash":{},"data":data,"loc":{"start":{"line":116,"column":36},"end":{"line":116,"column":43}}}) : helper))) != null ? stack1 : "")
    + ":\n\n```yaml\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"configSnippet") || alias1(depth0, "configSnippet", {"start":{"line":119,"column":2},"end":{"line":119,"column":15}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"configSnippet","hash":{},"data":data,"loc":{"start":{"line":119,"column":0},"end":{"line":119,"column":17}}}) : helper))) != null ? stack1 : "")
    + "\n```\n\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depths[2],"configYaml"),{"name":"if","hash":{},"fn":container.program(27, data, 0, blockParams, depths),"inverse":container.program(30, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":122,"column":0},"end":{"line":135,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(lookupProperty(depth0,"propertiesOmit"),"length"),{"name":"if","hash":{},"fn":container.program(31, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":136,"column":0},"end":{"line":139,"column":7}}})) != null ? stack1 : "")
    + "\n";
},"27":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "With the official `flink` Docker image, pass `"
    + ((stack1 = (((helper = lookupProperty(helpers,"dir") || container.strict(depth0, "dir", {"start":{"line":123,"column":48},"end":{"line":123,"column":51}} ))),(typeof helper === "function" ? helper.call(alias1,{"name":"dir","hash":{},"data":data,"loc":{"start":{"line":123,"column":46},"end":{"line":123,"column":53}}}) : helper))) != null ? stack1 : "")
    + "/FLINK_PROPERTIES` as the `FLINK_PROPERTIES` environment\nvariable instead: the same settings as flat lines without quotes or comments (the image hands each value to Flink\nas a string)"
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"propertiesSnippet"),{"name":"if","hash":{},"fn":container.program(28, data, 0),"inverse":container.program(29, data, 0),"data":data,"loc":{"start":{"line":125,"column":12},"end":{"line":131,"column":7}}})) != null ? stack1 : "");
},"28":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ":\n\n```text\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"propertiesSnippet") || container.strict(depth0, "propertiesSnippet", {"start":{"line":128,"column":2},"end":{"line":128,"column":19}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"propertiesSnippet","hash":{},"data":data,"loc":{"start":{"line":128,"column":0},"end":{"line":128,"column":21}}}) : helper))) != null ? stack1 : "")
    + "\n```\n";
},"29":function(container,depth0,helpers,partials,data) {
    return ".\n";
},"30":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "With the official `flink` Docker image, pass the same lines as the `FLINK_PROPERTIES` environment variable\n(`"
    + ((stack1 = (((helper = lookupProperty(helpers,"dir") || container.strict(depth0, "dir", {"start":{"line":134,"column":4},"end":{"line":134,"column":7}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"dir","hash":{},"data":data,"loc":{"start":{"line":134,"column":2},"end":{"line":134,"column":9}}}) : helper))) != null ? stack1 : "")
    + "/FLINK_PROPERTIES`, no comments).\n";
},"31":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "`FLINK_PROPERTIES` leaves out "
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"propertiesOmit"),{"name":"each","hash":{},"fn":container.program(32, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":137,"column":30},"end":{"line":137,"column":103}}})) != null ? stack1 : "")
    + ": the image's entry point\nhands each line to a shell unquoted, where `*` is a glob. Prometheus still drops the metrics it would filter.\n";
},"32":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "`"
    + ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + "`"
    + ((stack1 = lookupProperty(helpers,"unless").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(data,"last"),{"name":"unless","hash":{},"fn":container.program(24, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":137,"column":64},"end":{"line":137,"column":94}}})) != null ? stack1 : "");
},"33":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "The other "
    + ((stack1 = (((helper = lookupProperty(helpers,"moreFiles") || alias1(depth0, "moreFiles", {"start":{"line":143,"column":12},"end":{"line":143,"column":21}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"moreFiles","hash":{},"data":data,"loc":{"start":{"line":143,"column":10},"end":{"line":143,"column":23}}}) : helper))) != null ? stack1 : "")
    + " processes of cluster "
    + ((stack1 = (((helper = lookupProperty(helpers,"name") || alias1(depth0, "name", {"start":{"line":143,"column":47},"end":{"line":143,"column":51}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"name","hash":{},"data":data,"loc":{"start":{"line":143,"column":45},"end":{"line":143,"column":53}}}) : helper))) != null ? stack1 : "")
    + " each have a folder of their own with the same files, differing\nonly in the host they name: `"
    + ((stack1 = container.lambda(alias1(depths[1], "hostsFile", {"start":{"line":144,"column":31},"end":{"line":144,"column":43}} ), depth0)) != null ? stack1 : "")
    + "` lists every process with its `configDir`.\n\n";
},"34":function(container,depth0,helpers,partials,data) {
    return "`flink.metrics.select: all`: every metric Flink exports reaches Prometheus, for exploring ad hoc (a few hundred\nseries per TaskManager already for a small job). To keep only what the dashboards and alert rules query, remove\n`select: all` (the default is `used`) and generate again.\n";
},"35":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "`flink.metrics.select: used` (the default): Prometheus keeps the "
    + ((stack1 = (((helper = lookupProperty(helpers,"keptCount") || container.strict(depth0, "keptCount", {"start":{"line":155,"column":67},"end":{"line":155,"column":76}} ))),(typeof helper === "function" ? helper.call(alias1,{"name":"keptCount","hash":{},"data":data,"loc":{"start":{"line":155,"column":65},"end":{"line":155,"column":78}}}) : helper))) != null ? stack1 : "")
    + " Flink metrics the dashboards and alert\nrules query"
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"keep"),{"name":"if","hash":{},"fn":container.program(36, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":156,"column":11},"end":{"line":156,"column":68}}})) != null ? stack1 : "")
    + ".\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"reporterFilter"),{"name":"if","hash":{},"fn":container.program(37, data, 0),"inverse":container.program(38, data, 0),"data":data,"loc":{"start":{"line":157,"column":0},"end":{"line":164,"column":7}}})) != null ? stack1 : "")
    + "To see every metric Flink exports, set `flink.metrics.select: all`; to keep a few more, list them in\n`flink.metrics.keep` (Prometheus names, `*` matches any characters); then generate again.\n";
},"36":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ", plus `flink.metrics.keep` ("
    + ((stack1 = (((helper = lookupProperty(helpers,"keep") || container.strict(depth0, "keep", {"start":{"line":156,"column":54},"end":{"line":156,"column":58}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"keep","hash":{},"data":data,"loc":{"start":{"line":156,"column":52},"end":{"line":156,"column":60}}}) : helper))) != null ? stack1 : "")
    + ")";
},"37":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "Flink sends only those: the reporter's `filter.includes` above (Flink 1.16+). The `metric_relabel_configs` of the\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"flinkJobs") || container.strict(depth0, "flinkJobs", {"start":{"line":159,"column":2},"end":{"line":159,"column":11}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"flinkJobs","hash":{},"data":data,"loc":{"start":{"line":159,"column":0},"end":{"line":159,"column":13}}}) : helper))) != null ? stack1 : "")
    + " in `prometheus/prometheus.yml` also drop any other `flink_*` series (from a Flink configured by\nhand, or an older file).\n";
},"38":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "Flink "
    + ((stack1 = (((helper = lookupProperty(helpers,"flinkVersion") || alias1(depth0, "flinkVersion", {"start":{"line":162,"column":8},"end":{"line":162,"column":20}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"flinkVersion","hash":{},"data":data,"loc":{"start":{"line":162,"column":6},"end":{"line":162,"column":22}}}) : helper))) != null ? stack1 : "")
    + " has no reporter filter (1.16+) and still sends everything; the `metric_relabel_configs` of\nthe "
    + ((stack1 = (((helper = lookupProperty(helpers,"flinkJobs") || alias1(depth0, "flinkJobs", {"start":{"line":163,"column":6},"end":{"line":163,"column":15}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"flinkJobs","hash":{},"data":data,"loc":{"start":{"line":163,"column":4},"end":{"line":163,"column":17}}}) : helper))) != null ? stack1 : "")
    + " in `prometheus/prometheus.yml` drop the other `flink_*` series before they are stored.\n";
},"39":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=depth0 != null ? depth0 : (container.nullContext || {}), alias2=container.strict, alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"pushUnreachable"),{"name":"if","hash":{},"fn":container.program(40, data, 0),"inverse":container.program(41, data, 0),"data":data,"loc":{"start":{"line":170,"column":0},"end":{"line":175,"column":7}}})) != null ? stack1 : "")
    + "Each process has its own Pushgateway group"
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"randomSuffix"),{"name":"if","hash":{},"fn":container.program(42, data, 0),"inverse":container.program(43, data, 0),"data":data,"loc":{"start":{"line":176,"column":42},"end":{"line":177,"column":81}}})) != null ? stack1 : "")
    + ", so TaskManagers never overwrite each other.\n\n### Stale series\n\nThe Pushgateway never forgets a group. A process that is killed (`kill -9`, OOM, a lost host) cannot delete its\ngroup, so its last values stay, and with a random job-name suffix every restart adds a new group. This stack:\n\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"randomSuffix"),{"name":"if","hash":{},"fn":container.program(44, data, 0),"inverse":container.program(48, data, 0),"data":data,"loc":{"start":{"line":184,"column":0},"end":{"line":191,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"excludeLabels"),{"name":"if","hash":{},"fn":container.program(49, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":192,"column":0},"end":{"line":195,"column":7}}})) != null ? stack1 : "")
    + "- **Freshness-aware dashboards**: panels only show groups that pushed within the last "
    + ((stack1 = (((helper = lookupProperty(helpers,"staleAfter") || alias2(depth0, "staleAfter", {"start":{"line":196,"column":88},"end":{"line":196,"column":98}} ))),(typeof helper === alias3 ? helper.call(alias1,{"name":"staleAfter","hash":{},"data":data,"loc":{"start":{"line":196,"column":86},"end":{"line":196,"column":100}}}) : helper))) != null ? stack1 : "")
    + ", so a dead\n  process is never shown as live.\n- **`FlinkMetricsPushStale`** names every group that stopped pushing (after "
    + ((stack1 = (((helper = lookupProperty(helpers,"staleAfter") || alias2(depth0, "staleAfter", {"start":{"line":198,"column":78},"end":{"line":198,"column":88}} ))),(typeof helper === alias3 ? helper.call(alias1,{"name":"staleAfter","hash":{},"data":data,"loc":{"start":{"line":198,"column":76},"end":{"line":198,"column":90}}}) : helper))) != null ? stack1 : "")
    + " plus `for`).\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"pruneSidecar"),{"name":"if","hash":{},"fn":container.program(50, data, 0),"inverse":container.program(53, data, 0),"data":data,"loc":{"start":{"line":199,"column":0},"end":{"line":208,"column":7}}})) != null ? stack1 : "");
},"40":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=container.lambda, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "**The Flink hosts cannot reach the Pushgateway as configured**: "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"pushUnreachable"), "message", {"start":{"line":171,"column":66},"end":{"line":171,"column":89}} ), depth0)) != null ? stack1 : "")
    + ". The settings above\npoint the reporter at "
    + ((stack1 = (((helper = lookupProperty(helpers,"pushgatewayUrl") || alias1(depth0, "pushgatewayUrl", {"start":{"line":172,"column":24},"end":{"line":172,"column":38}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"pushgatewayUrl","hash":{},"data":data,"loc":{"start":{"line":172,"column":22},"end":{"line":172,"column":40}}}) : helper))) != null ? stack1 : "")
    + "; until you "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"pushUnreachable"), "hint", {"start":{"line":172,"column":54},"end":{"line":172,"column":74}} ), depth0)) != null ? stack1 : "")
    + " (and generate again), no metrics arrive.\n";
},"41":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "Every process pushes its metrics to **"
    + ((stack1 = (((helper = lookupProperty(helpers,"pushgatewayUrl") || alias1(depth0, "pushgatewayUrl", {"start":{"line":174,"column":40},"end":{"line":174,"column":54}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"pushgatewayUrl","hash":{},"data":data,"loc":{"start":{"line":174,"column":38},"end":{"line":174,"column":56}}}) : helper))) != null ? stack1 : "")
    + "** every "
    + ((stack1 = (((helper = lookupProperty(helpers,"interval") || alias1(depth0, "interval", {"start":{"line":174,"column":67},"end":{"line":174,"column":75}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"interval","hash":{},"data":data,"loc":{"start":{"line":174,"column":65},"end":{"line":174,"column":77}}}) : helper))) != null ? stack1 : "")
    + ".\n";
},"42":function(container,depth0,helpers,partials,data) {
    return " (job name plus 32 random hex characters per process\nstart)";
},"43":function(container,depth0,helpers,partials,data) {
    return " (job name per role and an `instance` grouping key per host)";
},"44":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "- **Random job-name suffix** ("
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"stableGroupsWhy"),{"name":"if","hash":{},"fn":container.program(45, data, 0),"inverse":container.program(46, data, 0),"data":data,"loc":{"start":{"line":185,"column":30},"end":{"line":185,"column":117}}})) != null ? stack1 : "")
    + "):\n  each process start makes a new group, so groups of dead processes pile up until deleted. Processes that stop\n  cleanly delete their own group"
    + ((stack1 = lookupProperty(helpers,"unless").call(alias1,lookupProperty(depth0,"deleteOnShutdown"),{"name":"unless","hash":{},"fn":container.program(47, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":187,"column":32},"end":{"line":187,"column":117}}})) != null ? stack1 : "")
    + ".\n";
},"45":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "needed here: "
    + ((stack1 = (((helper = lookupProperty(helpers,"stableGroupsWhy") || container.strict(depth0, "stableGroupsWhy", {"start":{"line":185,"column":68},"end":{"line":185,"column":83}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"stableGroupsWhy","hash":{},"data":data,"loc":{"start":{"line":185,"column":66},"end":{"line":185,"column":85}}}) : helper))) != null ? stack1 : "");
},"46":function(container,depth0,helpers,partials,data) {
    return "set in the config";
},"47":function(container,depth0,helpers,partials,data) {
    return " only with `deleteOnShutdown: true` (off here)";
},"48":function(container,depth0,helpers,partials,data) {
    return "- **One stable group per process**: every process has its own config file (above) with an `instance` grouping\n  key, so a restarted process replaces its old group instead of adding one; the series do not grow with restarts.\n";
},"49":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "- **`scope.variables.excludes`** leaves "
    + ((stack1 = (((helper = lookupProperty(helpers,"excludeLabels") || container.strict(depth0, "excludeLabels", {"start":{"line":193,"column":42},"end":{"line":193,"column":55}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"excludeLabels","hash":{},"data":data,"loc":{"start":{"line":193,"column":40},"end":{"line":193,"column":57}}}) : helper))) != null ? stack1 : "")
    + " out of every series, so a task restart does not mint new\n  series inside a group.\n";
},"50":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "- **The `pushgateway-prune` sidecar** deletes groups of jobs starting with `"
    + ((stack1 = (((helper = lookupProperty(helpers,"jobName") || alias1(depth0, "jobName", {"start":{"line":200,"column":78},"end":{"line":200,"column":85}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"jobName","hash":{},"data":data,"loc":{"start":{"line":200,"column":76},"end":{"line":200,"column":87}}}) : helper))) != null ? stack1 : "")
    + "` after "
    + ((stack1 = (((helper = lookupProperty(helpers,"pruneOlderThan") || alias1(depth0, "pruneOlderThan", {"start":{"line":200,"column":97},"end":{"line":200,"column":111}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"pruneOlderThan","hash":{},"data":data,"loc":{"start":{"line":200,"column":95},"end":{"line":200,"column":113}}}) : helper))) != null ? stack1 : "")
    + "\n  without a push, every "
    + ((stack1 = (((helper = lookupProperty(helpers,"pruneEvery") || alias1(depth0, "pruneEvery", {"start":{"line":201,"column":26},"end":{"line":201,"column":36}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"pruneEvery","hash":{},"data":data,"loc":{"start":{"line":201,"column":24},"end":{"line":201,"column":38}}}) : helper))) != null ? stack1 : "")
    + " ("
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"pruneLocalImage"),{"name":"if","hash":{},"fn":container.program(51, data, 0),"inverse":container.program(52, data, 0),"data":data,"loc":{"start":{"line":201,"column":40},"end":{"line":203,"column":17}}})) != null ? stack1 : "")
    + "). Its `/metrics` are scraped as job `pushgateway-prune`.\n";
},"51":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "`"
    + ((stack1 = (((helper = lookupProperty(helpers,"pruneLocalImage") || alias1(depth0, "pruneLocalImage", {"start":{"line":201,"column":66},"end":{"line":201,"column":81}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"pruneLocalImage","hash":{},"data":data,"loc":{"start":{"line":201,"column":64},"end":{"line":201,"column":83}}}) : helper))) != null ? stack1 : "")
    + "`, this package's CLI built locally on\n  `"
    + ((stack1 = (((helper = lookupProperty(helpers,"pruneImage") || alias1(depth0, "pruneImage", {"start":{"line":202,"column":5},"end":{"line":202,"column":15}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"pruneImage","hash":{},"data":data,"loc":{"start":{"line":202,"column":3},"end":{"line":202,"column":17}}}) : helper))) != null ? stack1 : "")
    + "`";
},"52":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "`"
    + ((stack1 = (((helper = lookupProperty(helpers,"pruneImage") || container.strict(depth0, "pruneImage", {"start":{"line":202,"column":29},"end":{"line":202,"column":39}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"pruneImage","hash":{},"data":data,"loc":{"start":{"line":202,"column":27},"end":{"line":202,"column":41}}}) : helper))) != null ? stack1 : "")
    + "` running this package's CLI through `npx`; the first start fetches it from the npm\n  registry";
},"53":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "- **`flink-prometheus-stack prune-pushgateway`** lists groups without a push for `--older-than` (keyed on\n  `push_time_seconds`) and deletes them with `--apply`; set `pushgateway.prune.sidecar: true` to run it in the\n  stack every minute"
    + ((stack1 = lookupProperty(helpers,"if").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"randomSuffix"),{"name":"if","hash":{},"fn":container.program(54, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":207,"column":20},"end":{"line":207,"column":82}}})) != null ? stack1 : "")
    + ".\n";
},"54":function(container,depth0,helpers,partials,data) {
    return " (recommended with random suffixes)";
},"55":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=depth0 != null ? depth0 : (container.nullContext || {}), alias2=container.strict, alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"pullUnreachable"),{"name":"if","hash":{},"fn":container.program(56, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":210,"column":0},"end":{"line":213,"column":7}}})) != null ? stack1 : "")
    + "Prometheus scrapes a process on the port given for it, else, when it is alone on its host, on "
    + ((stack1 = (((helper = lookupProperty(helpers,"pullFirstPort") || alias2(depth0, "pullFirstPort", {"start":{"line":214,"column":96},"end":{"line":214,"column":109}} ))),(typeof helper === alias3 ? helper.call(alias1,{"name":"pullFirstPort","hash":{},"data":data,"loc":{"start":{"line":214,"column":94},"end":{"line":214,"column":111}}}) : helper))) != null ? stack1 : "")
    + " (the first\nport of the reporter's range "
    + ((stack1 = (((helper = lookupProperty(helpers,"pullPort") || alias2(depth0, "pullPort", {"start":{"line":215,"column":31},"end":{"line":215,"column":39}} ))),(typeof helper === alias3 ? helper.call(alias1,{"name":"pullPort","hash":{},"data":data,"loc":{"start":{"line":215,"column":29},"end":{"line":215,"column":41}}}) : helper))) != null ? stack1 : "")
    + ").\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"pullPortChosen"),{"name":"if","hash":{},"fn":container.program(57, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":216,"column":0},"end":{"line":219,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(lookupProperty(depth0,"sharedPortHosts"),"length"),{"name":"if","hash":{},"fn":container.program(58, data, 0),"inverse":container.program(59, data, 0),"data":data,"loc":{"start":{"line":220,"column":0},"end":{"line":227,"column":7}}})) != null ? stack1 : "");
},"56":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=container.strict, alias2=container.lambda, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "**Prometheus cannot scrape every Flink process as configured**: "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"pullUnreachable"), "message", {"start":{"line":211,"column":66},"end":{"line":211,"column":89}} ), depth0)) != null ? stack1 : "")
    + ". Until you\n"
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"pullUnreachable"), "hint", {"start":{"line":212,"column":2},"end":{"line":212,"column":22}} ), depth0)) != null ? stack1 : "")
    + " (and generate again), its targets stay down.\n";
},"57":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "The config sets no `flink.reporter.pull.port`, so the stack chose **"
    + ((stack1 = (((helper = lookupProperty(helpers,"pullPort") || alias1(depth0, "pullPort", {"start":{"line":217,"column":70},"end":{"line":217,"column":78}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"pullPort","hash":{},"data":data,"loc":{"start":{"line":217,"column":68},"end":{"line":217,"column":80}}}) : helper))) != null ? stack1 : "")
    + "**: as many ports as the most Flink\nprocesses listed on one host ("
    + ((stack1 = (((helper = lookupProperty(helpers,"pullPortWidth") || alias1(depth0, "pullPortWidth", {"start":{"line":218,"column":32},"end":{"line":218,"column":45}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"pullPortWidth","hash":{},"data":data,"loc":{"start":{"line":218,"column":30},"end":{"line":218,"column":47}}}) : helper))) != null ? stack1 : "")
    + ").\n";
},"58":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "Processes sharing a host take the first free port of the range as they start, so which process gets which port is\nnot known in advance: on "
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"sharedPortHosts"),{"name":"each","hash":{},"fn":container.program(23, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":222,"column":25},"end":{"line":222,"column":97}}})) != null ? stack1 : "")
    + " Prometheus scrapes every port of the range\n(target label `port_range_processes`: how many processes share them). A port nobody bound is a down target by\ndesign: `FlinkMetricsEndpointDown` fires for such a host only when fewer ports answer than processes are listed.\n";
},"59":function(container,depth0,helpers,partials,data) {
    return "Processes sharing a host take the next free port of the range: list them as `host:port`.\n";
},"60":function(container,depth0,helpers,partials,data) {
    return "), `promtool check rules`, `promtool test rules`";
},"61":function(container,depth0,helpers,partials,data) {
    return ")";
},"62":function(container,depth0,helpers,partials,data) {
    return "`amtool check-config`, ";
},"63":function(container,depth0,helpers,partials,data) {
    return "`docker stack config -c docker-stack.yml`";
},"64":function(container,depth0,helpers,partials,data) {
    return "`docker compose config -q`";
},"65":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "promtool check rules "
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"ruleFiles"),{"name":"each","hash":{},"fn":container.program(66, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":243,"column":21},"end":{"line":243,"column":86}}})) != null ? stack1 : "")
    + "\npromtool test rules prometheus/rules/tests/*.test.yml\n";
},"66":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"unless").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(data,"last"),{"name":"unless","hash":{},"fn":container.program(67, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":243,"column":48},"end":{"line":243,"column":77}}})) != null ? stack1 : "");
},"67":function(container,depth0,helpers,partials,data) {
    return " ";
},"68":function(container,depth0,helpers,partials,data) {
    return "amtool check-config alertmanager/alertmanager.yml\n";
},"69":function(container,depth0,helpers,partials,data) {
    return "docker stack config -c docker-stack.yml >/dev/null\n";
},"70":function(container,depth0,helpers,partials,data) {
    return "docker compose config -q        # or: docker-compose config -q\n";
},"71":function(container,depth0,helpers,partials,data) {
    return "- `docker-stack.yml`: the Swarm stack (pinned images, healthchecks, named volumes on the labelled node, every file a\n  service reads as a Swarm config and every secret as a Swarm secret, named by its content).\n";
},"72":function(container,depth0,helpers,partials,data) {
    return "- `docker-compose.yml`, `.env`: the stack (pinned images, healthchecks, named volumes, read-only configs).\n";
},"73":function(container,depth0,helpers,partials,data) {
    return ", rule files";
},"74":function(container,depth0,helpers,partials,data) {
    var stack1;

  return "- `"
    + ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + "`\n";
},"75":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "- `prometheus/rules/tests/`: `promtool test rules` unit tests for the alert rules.\n- `RUNBOOK.md`: one section per alert (what it means, what to look at first, what usually fixes it); every alert's\n  `runbook_url` points there"
    + ((stack1 = lookupProperty(helpers,"if").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"grafana"),{"name":"if","hash":{},"fn":container.program(76, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":271,"column":28},"end":{"line":271,"column":102}}})) != null ? stack1 : "")
    + ".\n";
},"76":function(container,depth0,helpers,partials,data) {
    return " and its `dashboard` link opens the panel to look at";
},"77":function(container,depth0,helpers,partials,data) {
    return "- `alertmanager/alertmanager.yml`: receivers and routing.\n";
},"78":function(container,depth0,helpers,partials,data) {
    return "- `grafana/`: datasource (uid `prometheus`), dashboard provider, dashboards.\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# "
    + ((stack1 = (((helper = lookupProperty(helpers,"project") || alias1(depth0, "project", {"start":{"line":1,"column":4},"end":{"line":1,"column":11}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"project","hash":{},"data":data,"loc":{"start":{"line":1,"column":2},"end":{"line":1,"column":13}}}) : helper))) != null ? stack1 : "")
    + ": Flink monitoring stack\n\nGenerated by flink-prometheus-stack for **Flink "
    + ((stack1 = (((helper = lookupProperty(helpers,"flinkVersion") || alias1(depth0, "flinkVersion", {"start":{"line":3,"column":50},"end":{"line":3,"column":62}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"flinkVersion","hash":{},"data":data,"loc":{"start":{"line":3,"column":48},"end":{"line":3,"column":64}}}) : helper))) != null ? stack1 : "")
    + "** in **"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"push"),{"name":"if","hash":{},"fn":container.program(0, data, 0, blockParams, depths),"inverse":container.program(1, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":3,"column":72},"end":{"line":3,"column":114}}})) != null ? stack1 : "")
    + " mode**.\nDo not edit these files by hand: change the stack config and run `flink-prometheus-stack generate` again\n(`generate --check` tells whether this folder is up to date).\n\n```mermaid\nflowchart LR\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"clusters"),{"name":"each","hash":{},"fn":container.program(2, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":9,"column":0},"end":{"line":14,"column":9}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"push"),{"name":"if","hash":{},"fn":container.program(3, data, 0, blockParams, depths),"inverse":container.program(5, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":15,"column":0},"end":{"line":28,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"nodeExporter"),{"name":"if","hash":{},"fn":container.program(7, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":29,"column":0},"end":{"line":31,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"grafana"),{"name":"if","hash":{},"fn":container.program(8, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":32,"column":0},"end":{"line":34,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"alertmanager"),{"name":"if","hash":{},"fn":container.program(9, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":35,"column":0},"end":{"line":37,"column":7}}})) != null ? stack1 : "")
    + "```\n\n## Start it\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"swarm"),{"name":"if","hash":{},"fn":container.program(10, data, 0, blockParams, depths),"inverse":container.program(11, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":41,"column":0},"end":{"line":61,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"pruneLocalImage"),{"name":"if","hash":{},"fn":container.program(12, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":62,"column":0},"end":{"line":70,"column":7}}})) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"swarm"),{"name":"if","hash":{},"fn":container.program(13, data, 0, blockParams, depths),"inverse":container.program(14, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":72,"column":0},"end":{"line":72,"column":230}}})) != null ? stack1 : "")
    + "\n\n| service | image | URL |\n|---|---|---|\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"services"),{"name":"each","hash":{},"fn":container.program(15, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":76,"column":0},"end":{"line":78,"column":9}}})) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"grafana"),{"name":"if","hash":{},"fn":container.program(16, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":80,"column":0},"end":{"line":96,"column":7}}})) != null ? stack1 : "")
    + "## Apply the Flink side\n\nFlink "
    + ((stack1 = (((helper = lookupProperty(helpers,"flinkVersion") || alias1(depth0, "flinkVersion", {"start":{"line":99,"column":8},"end":{"line":99,"column":20}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"flinkVersion","hash":{},"data":data,"loc":{"start":{"line":99,"column":6},"end":{"line":99,"column":22}}}) : helper))) != null ? stack1 : "")
    + " reads `conf/"
    + ((stack1 = (((helper = lookupProperty(helpers,"configFile") || alias1(depth0, "configFile", {"start":{"line":99,"column":37},"end":{"line":99,"column":47}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"configFile","hash":{},"data":data,"loc":{"start":{"line":99,"column":35},"end":{"line":99,"column":49}}}) : helper))) != null ? stack1 : "")
    + "`"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"configYaml"),{"name":"if","hash":{},"fn":container.program(19, data, 0, blockParams, depths),"inverse":container.program(20, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":99,"column":50},"end":{"line":101,"column":49}}})) != null ? stack1 : "")
    + ". For each cluster, add the settings to the configuration of the\nprocesses named, then restart them.\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"jarInOpt"),{"name":"if","hash":{},"fn":container.program(21, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":103,"column":0},"end":{"line":106,"column":7}}})) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"clusters"),{"name":"each","hash":{},"fn":container.program(22, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":108,"column":0},"end":{"line":147,"column":9}}})) != null ? stack1 : "")
    + "### Which Flink metrics are kept\n\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"metricsAll"),{"name":"if","hash":{},"fn":container.program(34, data, 0, blockParams, depths),"inverse":container.program(35, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":150,"column":0},"end":{"line":167,"column":7}}})) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"push"),{"name":"if","hash":{},"fn":container.program(39, data, 0, blockParams, depths),"inverse":container.program(55, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":169,"column":0},"end":{"line":228,"column":7}}})) != null ? stack1 : "")
    + "\n## Check it\n\n```sh\nflink-prometheus-stack check -o .\n```\n\nruns the real tools on this folder: `promtool check config` (on a copy of `prometheus/prometheus.yml` whose container\npaths, such as `/etc/prometheus/rules/…`, point at this folder's files"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(lookupProperty(depth0,"ruleFiles"),"length"),{"name":"if","hash":{},"fn":container.program(60, data, 0, blockParams, depths),"inverse":container.program(61, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":237,"column":70},"end":{"line":237,"column":158}}})) != null ? stack1 : "")
    + ",\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"alertmanager"),{"name":"if","hash":{},"fn":container.program(62, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":238,"column":0},"end":{"line":238,"column":50}}})) != null ? stack1 : "")
    + "and "
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"swarm"),{"name":"if","hash":{},"fn":container.program(63, data, 0, blockParams, depths),"inverse":container.program(64, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":238,"column":54},"end":{"line":238,"column":149}}})) != null ? stack1 : "")
    + ". A plain `promtool check config prometheus/prometheus.yml` fails on\nthe host because Prometheus reads those paths inside its container. The other checks also run by hand, from this folder:\n\n```sh\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(lookupProperty(depth0,"ruleFiles"),"length"),{"name":"if","hash":{},"fn":container.program(65, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":242,"column":0},"end":{"line":245,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"alertmanager"),{"name":"if","hash":{},"fn":container.program(68, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":246,"column":0},"end":{"line":248,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"swarm"),{"name":"if","hash":{},"fn":container.program(69, data, 0, blockParams, depths),"inverse":container.program(70, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":249,"column":0},"end":{"line":253,"column":7}}})) != null ? stack1 : "")
    + "```\n\n## Files\n\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"swarm"),{"name":"if","hash":{},"fn":container.program(71, data, 0, blockParams, depths),"inverse":container.program(72, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":258,"column":0},"end":{"line":263,"column":7}}})) != null ? stack1 : "")
    + "- `prometheus/prometheus.yml`: scrape jobs"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(lookupProperty(depth0,"ruleFiles"),"length"),{"name":"if","hash":{},"fn":container.program(73, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":264,"column":42},"end":{"line":264,"column":85}}})) != null ? stack1 : "")
    + ".\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"ruleFiles"),{"name":"each","hash":{},"fn":container.program(74, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":265,"column":0},"end":{"line":267,"column":9}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(lookupProperty(depth0,"ruleFiles"),"length"),{"name":"if","hash":{},"fn":container.program(75, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":268,"column":0},"end":{"line":272,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"alertmanager"),{"name":"if","hash":{},"fn":container.program(77, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":273,"column":0},"end":{"line":275,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"grafana"),{"name":"if","hash":{},"fn":container.program(78, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":276,"column":0},"end":{"line":278,"column":7}}})) != null ? stack1 : "")
    + "- `flink/`: the reporter settings per cluster.\n";
},"useData":true,"useDepths":true};
