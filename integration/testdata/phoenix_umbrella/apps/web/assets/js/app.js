console.log("phoenix_umbrella");
