//! The device tree the Linux boot gets, generated from the SoC cosim was built with:
//! one description ([`Node`]), written as a DTB by rust-vmm's `vm-fdt` for the boot
//! and as DTS text for people (`cosim linux --dump-dts`).

use crate::devices::{CLINT_BASE, CLINT_SIZE};
use crate::memory::MemoryMap;
use std::fmt::Write as _;

/// What the core implements, as Linux's `riscv,isa-extensions` names it: RV64IMAC,
/// Zicsr, Zifencei, the Zicntr/Zihpm counters and the Zicbom/Zicboz cache-block
/// operations (README: The SoC).
pub const ISA_EXTENSIONS: &[&str] = &[
    "i", "m", "a", "c", "zicbom", "zicboz", "zicntr", "zicsr", "zifencei", "zihpm",
];

/// The cache-block size of `cbo.*` (README: Zicbom/Zicboz).
const CBO_BLOCK_BYTES: u32 = 64;

/// The cpu's interrupt controller (its phandle).
const CPU_INTC: u32 = 1;

/// A property's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Empty,
    Cells(Vec<u32>),
    Strings(Vec<String>),
}

/// A device tree node.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub name: String,
    pub props: Vec<(String, Value)>,
    pub children: Vec<Node>,
}

impl Node {
    fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            props: Vec::new(),
            children: Vec::new(),
        }
    }

    fn cells(mut self, name: &str, cells: &[u32]) -> Self {
        self.props.push((name.into(), Value::Cells(cells.to_vec())));
        self
    }

    fn strings(mut self, name: &str, values: &[&str]) -> Self {
        let values = values.iter().map(|s| s.to_string()).collect();
        self.props.push((name.into(), Value::Strings(values)));
        self
    }

    fn empty(mut self, name: &str) -> Self {
        self.props.push((name.into(), Value::Empty));
        self
    }

    fn child(mut self, node: Node) -> Self {
        self.children.push(node);
        self
    }

    /// The flattened (DTB) form.
    pub fn to_dtb(&self) -> Vec<u8> {
        let mut fdt = vm_fdt::FdtWriter::new().expect("an empty FDT");
        self.write(&mut fdt);
        fdt.finish().expect("every node is closed")
    }

    fn write(&self, fdt: &mut vm_fdt::FdtWriter) {
        let node = fdt.begin_node(&self.name).expect("node names hold no NUL");
        for (name, value) in &self.props {
            match value {
                Value::Empty => fdt.property_null(name),
                Value::Cells(cells) => fdt.property_array_u32(name, cells),
                Value::Strings(s) => fdt.property_string_list(name, s.clone()),
            }
            .expect("property names and strings hold no NUL");
        }
        for child in &self.children {
            child.write(fdt);
        }
        fdt.end_node(node).expect("nodes are closed in order");
    }

    /// The source (DTS) form.
    pub fn to_dts(&self) -> String {
        let mut s = String::from("/dts-v1/;\n\n");
        self.write_dts(&mut s, 0);
        s
    }

    fn write_dts(&self, s: &mut String, depth: usize) {
        let pad = "\t".repeat(depth);
        let name = if self.name.is_empty() {
            "/"
        } else {
            &self.name
        };
        let _ = writeln!(s, "{pad}{name} {{");
        for (prop, value) in &self.props {
            let text = match value {
                Value::Empty => String::new(),
                Value::Cells(c) => format!(
                    " = <{}>",
                    c.iter()
                        .map(|v| format!("{v:#x}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                Value::Strings(v) => format!(
                    " = {}",
                    v.iter()
                        .map(|x| format!("\"{x}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let _ = writeln!(s, "{pad}\t{prop}{text};");
        }
        for child in &self.children {
            let _ = writeln!(s);
            child.write_dts(s, depth + 1);
        }
        let _ = writeln!(s, "{pad}}};");
    }
}

/// A 64-bit address or size as two cells.
fn cells64(values: &[u64]) -> Vec<u32> {
    values
        .iter()
        .flat_map(|v| [(v >> 32) as u32, *v as u32])
        .collect()
}

/// Everything the tree describes that varies between runs.
#[derive(Clone, Debug)]
pub struct Soc {
    pub memory: MemoryMap,
    /// `satp` mode the DT announces (Linux probes for itself, see [`super::Paging`]).
    pub mmu_type: &'static str,
    /// The CLINT's `mtime` counts every core clock cycle.
    pub timebase_hz: u32,
    pub bootargs: String,
    /// The initramfs: [start, end) in DRAM.
    pub initrd: (u64, u64),
}

/// The device tree of the SoC as `soc` describes it.
pub fn device_tree(soc: &Soc) -> Node {
    let isa = format!(
        "rv64imac_{}",
        ISA_EXTENSIONS
            .iter()
            .filter(|e| e.len() > 1)
            .copied()
            .collect::<Vec<_>>()
            .join("_")
    );
    let intc = Node::new("interrupt-controller")
        .cells("#interrupt-cells", &[1])
        .empty("interrupt-controller")
        .strings("compatible", &["riscv,cpu-intc"])
        .cells("phandle", &[CPU_INTC]);
    let cpu = Node::new("cpu@0")
        .strings("device_type", &["cpu"])
        .cells("reg", &[0])
        .strings("status", &["okay"])
        .strings("compatible", &["riscv"])
        .strings("riscv,isa", &[&isa])
        .strings("riscv,isa-base", &["rv64i"])
        .strings("riscv,isa-extensions", ISA_EXTENSIONS)
        .strings("mmu-type", &[soc.mmu_type])
        .cells("riscv,cbom-block-size", &[CBO_BLOCK_BYTES])
        .cells("riscv,cboz-block-size", &[CBO_BLOCK_BYTES])
        .child(intc);
    let cpus = Node::new("cpus")
        .cells("#address-cells", &[1])
        .cells("#size-cells", &[0])
        .cells("timebase-frequency", &[soc.timebase_hz])
        .child(cpu);
    let dram = soc.memory.dram;
    let pmem = soc.memory.pmem;
    let memory = Node::new(&format!("memory@{:x}", dram.base.raw()))
        .strings("device_type", &["memory"])
        .cells("reg", &cells64(&[dram.base.raw(), dram.size]));
    // Machine software interrupt 3 and machine timer interrupt 7 of the cpu.
    let clint = Node::new(&format!("clint@{CLINT_BASE:x}"))
        .strings("compatible", &["sifive,clint0", "riscv,clint0"])
        .cells("reg", &cells64(&[CLINT_BASE, CLINT_SIZE]))
        .cells("interrupts-extended", &[CPU_INTC, 3, CPU_INTC, 7]);
    let bus = Node::new("soc")
        .cells("#address-cells", &[2])
        .cells("#size-cells", &[2])
        .strings("compatible", &["simple-bus"])
        .empty("ranges")
        .child(clint);
    let pmem = Node::new(&format!("pmem@{:x}", pmem.base.raw()))
        .strings("compatible", &["pmem-region"])
        .cells("reg", &cells64(&[pmem.base.raw(), pmem.size]));
    let chosen = Node::new("chosen")
        .strings("bootargs", &[&soc.bootargs])
        .cells("linux,initrd-start", &cells64(&[soc.initrd.0]))
        .cells("linux,initrd-end", &cells64(&[soc.initrd.1]));
    Node::new("")
        .cells("#address-cells", &[2])
        .cells("#size-cells", &[2])
        .strings("compatible", &["cosim,soc"])
        .strings("model", &["cosim RV64 SoC"])
        .child(chosen)
        .child(cpus)
        .child(memory)
        .child(bus)
        .child(Node::new("htif").strings("compatible", &["ucb,htif0"]))
        .child(pmem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn soc() -> Soc {
        Soc {
            memory: MemoryMap::new(256 << 20, 256 << 20).unwrap(),
            mmu_type: "riscv,sv48",
            timebase_hz: 1_000_000_000,
            bootargs: "console=hvc0".into(),
            initrd: (0x8400_0000, 0x8400_1000),
        }
    }

    #[test]
    fn the_tree_describes_the_soc() {
        let dts = device_tree(&soc()).to_dts();
        for line in [
            "riscv,isa-extensions = \"i\", \"m\", \"a\", \"c\", \"zicbom\"",
            "mmu-type = \"riscv,sv48\";",
            "timebase-frequency = <0x3b9aca00>;",
            "memory@80000000 {",
            "reg = <0x0 0x80000000 0x0 0x10000000>;",
            "compatible = \"pmem-region\";",
            "reg = <0x1 0x0 0x0 0x10000000>;",
            "interrupts-extended = <0x1 0x3 0x1 0x7>;",
            "compatible = \"ucb,htif0\";",
            "bootargs = \"console=hvc0\";",
            "linux,initrd-start = <0x0 0x84000000>;",
        ] {
            assert!(dts.contains(line), "no {line:?} in\n{dts}");
        }
    }

    #[test]
    fn the_blob_is_a_valid_fdt() {
        let dtb = device_tree(&soc()).to_dtb();
        assert_eq!(&dtb[..4], &0xd00d_feedu32.to_be_bytes());
        let total = u32::from_be_bytes(dtb[4..8].try_into().unwrap()) as usize;
        assert_eq!(total, dtb.len());
        // The strings block holds the property names.
        let text = String::from_utf8_lossy(&dtb);
        assert!(text.contains("riscv,isa-extensions") && text.contains("pmem-region"));
    }
}
